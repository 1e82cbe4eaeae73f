import { hyperPodInstanceType } from '../private/hyperpod-rules';

/**
 * An instance type a SageMaker HyperPod instance group can use.
 *
 * The static members are the types HyperPod supports (GPU, Trainium and the CPU types used for controllers and
 * login nodes). `of()` takes any name; `GpuTrainingCluster` refuses names HyperPod does not support at synth.
 */
export class HyperPodInstanceType {
  /** ml.p4d.24xlarge */
  public static readonly ML_P4D_24XLARGE = new HyperPodInstanceType('ml.p4d.24xlarge');
  /** ml.p4de.24xlarge */
  public static readonly ML_P4DE_24XLARGE = new HyperPodInstanceType('ml.p4de.24xlarge');
  /** ml.p5.4xlarge */
  public static readonly ML_P5_4XLARGE = new HyperPodInstanceType('ml.p5.4xlarge');
  /** ml.p5.48xlarge */
  public static readonly ML_P5_48XLARGE = new HyperPodInstanceType('ml.p5.48xlarge');
  /** ml.p5e.48xlarge */
  public static readonly ML_P5E_48XLARGE = new HyperPodInstanceType('ml.p5e.48xlarge');
  /** ml.p5en.48xlarge */
  public static readonly ML_P5EN_48XLARGE = new HyperPodInstanceType('ml.p5en.48xlarge');
  /** ml.p6-b200.48xlarge */
  public static readonly ML_P6_B200_48XLARGE = new HyperPodInstanceType('ml.p6-b200.48xlarge');
  /** ml.p6e-gb200.36xlarge */
  public static readonly ML_P6E_GB200_36XLARGE = new HyperPodInstanceType('ml.p6e-gb200.36xlarge');
  /** ml.g5.xlarge */
  public static readonly ML_G5_XLARGE = new HyperPodInstanceType('ml.g5.xlarge');
  /** ml.g5.2xlarge */
  public static readonly ML_G5_2XLARGE = new HyperPodInstanceType('ml.g5.2xlarge');
  /** ml.g5.4xlarge */
  public static readonly ML_G5_4XLARGE = new HyperPodInstanceType('ml.g5.4xlarge');
  /** ml.g5.8xlarge */
  public static readonly ML_G5_8XLARGE = new HyperPodInstanceType('ml.g5.8xlarge');
  /** ml.g5.12xlarge */
  public static readonly ML_G5_12XLARGE = new HyperPodInstanceType('ml.g5.12xlarge');
  /** ml.g5.16xlarge */
  public static readonly ML_G5_16XLARGE = new HyperPodInstanceType('ml.g5.16xlarge');
  /** ml.g5.24xlarge */
  public static readonly ML_G5_24XLARGE = new HyperPodInstanceType('ml.g5.24xlarge');
  /** ml.g5.48xlarge */
  public static readonly ML_G5_48XLARGE = new HyperPodInstanceType('ml.g5.48xlarge');
  /** ml.g6.xlarge */
  public static readonly ML_G6_XLARGE = new HyperPodInstanceType('ml.g6.xlarge');
  /** ml.g6.2xlarge */
  public static readonly ML_G6_2XLARGE = new HyperPodInstanceType('ml.g6.2xlarge');
  /** ml.g6.4xlarge */
  public static readonly ML_G6_4XLARGE = new HyperPodInstanceType('ml.g6.4xlarge');
  /** ml.g6.8xlarge */
  public static readonly ML_G6_8XLARGE = new HyperPodInstanceType('ml.g6.8xlarge');
  /** ml.g6.12xlarge */
  public static readonly ML_G6_12XLARGE = new HyperPodInstanceType('ml.g6.12xlarge');
  /** ml.g6.16xlarge */
  public static readonly ML_G6_16XLARGE = new HyperPodInstanceType('ml.g6.16xlarge');
  /** ml.g6.24xlarge */
  public static readonly ML_G6_24XLARGE = new HyperPodInstanceType('ml.g6.24xlarge');
  /** ml.g6.48xlarge */
  public static readonly ML_G6_48XLARGE = new HyperPodInstanceType('ml.g6.48xlarge');
  /** ml.g6e.xlarge */
  public static readonly ML_G6E_XLARGE = new HyperPodInstanceType('ml.g6e.xlarge');
  /** ml.g6e.2xlarge */
  public static readonly ML_G6E_2XLARGE = new HyperPodInstanceType('ml.g6e.2xlarge');
  /** ml.g6e.4xlarge */
  public static readonly ML_G6E_4XLARGE = new HyperPodInstanceType('ml.g6e.4xlarge');
  /** ml.g6e.8xlarge */
  public static readonly ML_G6E_8XLARGE = new HyperPodInstanceType('ml.g6e.8xlarge');
  /** ml.g6e.12xlarge */
  public static readonly ML_G6E_12XLARGE = new HyperPodInstanceType('ml.g6e.12xlarge');
  /** ml.g6e.16xlarge */
  public static readonly ML_G6E_16XLARGE = new HyperPodInstanceType('ml.g6e.16xlarge');
  /** ml.g6e.24xlarge */
  public static readonly ML_G6E_24XLARGE = new HyperPodInstanceType('ml.g6e.24xlarge');
  /** ml.g6e.48xlarge */
  public static readonly ML_G6E_48XLARGE = new HyperPodInstanceType('ml.g6e.48xlarge');
  /** ml.trn1.32xlarge */
  public static readonly ML_TRN1_32XLARGE = new HyperPodInstanceType('ml.trn1.32xlarge');
  /** ml.trn1n.32xlarge */
  public static readonly ML_TRN1N_32XLARGE = new HyperPodInstanceType('ml.trn1n.32xlarge');
  /** ml.trn2.3xlarge */
  public static readonly ML_TRN2_3XLARGE = new HyperPodInstanceType('ml.trn2.3xlarge');
  /** ml.trn2.48xlarge */
  public static readonly ML_TRN2_48XLARGE = new HyperPodInstanceType('ml.trn2.48xlarge');
  /** ml.m5.large */
  public static readonly ML_M5_LARGE = new HyperPodInstanceType('ml.m5.large');
  /** ml.m5.xlarge */
  public static readonly ML_M5_XLARGE = new HyperPodInstanceType('ml.m5.xlarge');
  /** ml.m5.2xlarge */
  public static readonly ML_M5_2XLARGE = new HyperPodInstanceType('ml.m5.2xlarge');
  /** ml.m5.4xlarge */
  public static readonly ML_M5_4XLARGE = new HyperPodInstanceType('ml.m5.4xlarge');
  /** ml.m5.8xlarge */
  public static readonly ML_M5_8XLARGE = new HyperPodInstanceType('ml.m5.8xlarge');
  /** ml.m5.12xlarge */
  public static readonly ML_M5_12XLARGE = new HyperPodInstanceType('ml.m5.12xlarge');
  /** ml.m5.16xlarge */
  public static readonly ML_M5_16XLARGE = new HyperPodInstanceType('ml.m5.16xlarge');
  /** ml.m5.24xlarge */
  public static readonly ML_M5_24XLARGE = new HyperPodInstanceType('ml.m5.24xlarge');
  /** ml.c5.large */
  public static readonly ML_C5_LARGE = new HyperPodInstanceType('ml.c5.large');
  /** ml.c5.xlarge */
  public static readonly ML_C5_XLARGE = new HyperPodInstanceType('ml.c5.xlarge');
  /** ml.c5.2xlarge */
  public static readonly ML_C5_2XLARGE = new HyperPodInstanceType('ml.c5.2xlarge');
  /** ml.c5.4xlarge */
  public static readonly ML_C5_4XLARGE = new HyperPodInstanceType('ml.c5.4xlarge');
  /** ml.c5.9xlarge */
  public static readonly ML_C5_9XLARGE = new HyperPodInstanceType('ml.c5.9xlarge');
  /** ml.c5.12xlarge */
  public static readonly ML_C5_12XLARGE = new HyperPodInstanceType('ml.c5.12xlarge');
  /** ml.c5.18xlarge */
  public static readonly ML_C5_18XLARGE = new HyperPodInstanceType('ml.c5.18xlarge');
  /** ml.c5.24xlarge */
  public static readonly ML_C5_24XLARGE = new HyperPodInstanceType('ml.c5.24xlarge');
  /** ml.c5n.large */
  public static readonly ML_C5N_LARGE = new HyperPodInstanceType('ml.c5n.large');
  /** ml.c5n.2xlarge */
  public static readonly ML_C5N_2XLARGE = new HyperPodInstanceType('ml.c5n.2xlarge');
  /** ml.c5n.4xlarge */
  public static readonly ML_C5N_4XLARGE = new HyperPodInstanceType('ml.c5n.4xlarge');
  /** ml.c5n.9xlarge */
  public static readonly ML_C5N_9XLARGE = new HyperPodInstanceType('ml.c5n.9xlarge');
  /** ml.c5n.18xlarge */
  public static readonly ML_C5N_18XLARGE = new HyperPodInstanceType('ml.c5n.18xlarge');
  /** ml.t3.medium */
  public static readonly ML_T3_MEDIUM = new HyperPodInstanceType('ml.t3.medium');
  /** ml.t3.large */
  public static readonly ML_T3_LARGE = new HyperPodInstanceType('ml.t3.large');
  /** ml.t3.xlarge */
  public static readonly ML_T3_XLARGE = new HyperPodInstanceType('ml.t3.xlarge');
  /** ml.t3.2xlarge */
  public static readonly ML_T3_2XLARGE = new HyperPodInstanceType('ml.t3.2xlarge');
  /** ml.m6i.large */
  public static readonly ML_M6I_LARGE = new HyperPodInstanceType('ml.m6i.large');
  /** ml.m6i.xlarge */
  public static readonly ML_M6I_XLARGE = new HyperPodInstanceType('ml.m6i.xlarge');
  /** ml.m6i.2xlarge */
  public static readonly ML_M6I_2XLARGE = new HyperPodInstanceType('ml.m6i.2xlarge');
  /** ml.m6i.4xlarge */
  public static readonly ML_M6I_4XLARGE = new HyperPodInstanceType('ml.m6i.4xlarge');
  /** ml.m6i.8xlarge */
  public static readonly ML_M6I_8XLARGE = new HyperPodInstanceType('ml.m6i.8xlarge');
  /** ml.m6i.12xlarge */
  public static readonly ML_M6I_12XLARGE = new HyperPodInstanceType('ml.m6i.12xlarge');
  /** ml.m6i.16xlarge */
  public static readonly ML_M6I_16XLARGE = new HyperPodInstanceType('ml.m6i.16xlarge');
  /** ml.m6i.24xlarge */
  public static readonly ML_M6I_24XLARGE = new HyperPodInstanceType('ml.m6i.24xlarge');
  /** ml.m6i.32xlarge */
  public static readonly ML_M6I_32XLARGE = new HyperPodInstanceType('ml.m6i.32xlarge');
  /** ml.c6i.large */
  public static readonly ML_C6I_LARGE = new HyperPodInstanceType('ml.c6i.large');
  /** ml.c6i.xlarge */
  public static readonly ML_C6I_XLARGE = new HyperPodInstanceType('ml.c6i.xlarge');
  /** ml.c6i.2xlarge */
  public static readonly ML_C6I_2XLARGE = new HyperPodInstanceType('ml.c6i.2xlarge');
  /** ml.c6i.4xlarge */
  public static readonly ML_C6I_4XLARGE = new HyperPodInstanceType('ml.c6i.4xlarge');
  /** ml.c6i.8xlarge */
  public static readonly ML_C6I_8XLARGE = new HyperPodInstanceType('ml.c6i.8xlarge');
  /** ml.c6i.12xlarge */
  public static readonly ML_C6I_12XLARGE = new HyperPodInstanceType('ml.c6i.12xlarge');
  /** ml.c6i.16xlarge */
  public static readonly ML_C6I_16XLARGE = new HyperPodInstanceType('ml.c6i.16xlarge');
  /** ml.c6i.24xlarge */
  public static readonly ML_C6I_24XLARGE = new HyperPodInstanceType('ml.c6i.24xlarge');
  /** ml.c6i.32xlarge */
  public static readonly ML_C6I_32XLARGE = new HyperPodInstanceType('ml.c6i.32xlarge');
  /** ml.r6i.large */
  public static readonly ML_R6I_LARGE = new HyperPodInstanceType('ml.r6i.large');
  /** ml.r6i.xlarge */
  public static readonly ML_R6I_XLARGE = new HyperPodInstanceType('ml.r6i.xlarge');
  /** ml.r6i.2xlarge */
  public static readonly ML_R6I_2XLARGE = new HyperPodInstanceType('ml.r6i.2xlarge');
  /** ml.r6i.4xlarge */
  public static readonly ML_R6I_4XLARGE = new HyperPodInstanceType('ml.r6i.4xlarge');
  /** ml.r6i.8xlarge */
  public static readonly ML_R6I_8XLARGE = new HyperPodInstanceType('ml.r6i.8xlarge');
  /** ml.r6i.12xlarge */
  public static readonly ML_R6I_12XLARGE = new HyperPodInstanceType('ml.r6i.12xlarge');
  /** ml.r6i.16xlarge */
  public static readonly ML_R6I_16XLARGE = new HyperPodInstanceType('ml.r6i.16xlarge');
  /** ml.r6i.24xlarge */
  public static readonly ML_R6I_24XLARGE = new HyperPodInstanceType('ml.r6i.24xlarge');
  /** ml.r6i.32xlarge */
  public static readonly ML_R6I_32XLARGE = new HyperPodInstanceType('ml.r6i.32xlarge');

  /**
   * An instance type by name, for example `ml.p5.48xlarge`. Validated when the cluster is synthesized.
   */
  public static of(name: string): HyperPodInstanceType {
    return new HyperPodInstanceType(name);
  }

  /** @param name the instance type, for example `ml.p5.48xlarge` */
  private constructor(public readonly name: string) {}

  /** True when HyperPod supports this type (false for unresolved tokens, which are checked at deploy). */
  public get isSupported(): boolean {
    return hyperPodInstanceType(this.name) !== undefined;
  }

  /** True when the type has an Elastic Fabric Adapter; EFA instances must share one Availability Zone. */
  public get supportsEfa(): boolean {
    return hyperPodInstanceType(this.name)?.efa ?? false;
  }

  /** True for NVIDIA GPU and AWS Trainium types. */
  public get isAccelerated(): boolean {
    const rule = hyperPodInstanceType(this.name);
    return rule !== undefined && rule.accelerator !== 'cpu';
  }

  public toString(): string {
    return this.name;
  }
}
