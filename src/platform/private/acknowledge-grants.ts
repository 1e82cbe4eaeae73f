import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledge, AcknowledgmentName } from '../../private/acknowledgments';
import { nagResourceDetail } from '../../private/nag-detail';

/**
 * Acknowledges AwsSolutions-IAM5 for wildcard resources a capability construct granted to a policy of
 * another stack (for example a feature group's offline-store prefix granted to a team), with a registered
 * reason of that capability.
 *
 * cdk-nag names a wildcard resource by its flattened value, and a cross-stack reference flattens
 * differently before CDK resolves the app's references (the producer's `<Logical.Arn>`: cdk-nag's
 * `validateScope` on a fresh app) and after (the `Fn::ImportValue` export name: the rule-pack plugins of
 * `cdk synth`). Both forms are acknowledged: the first now, the second when the app is synthesized
 * (a construct validation runs after the references are resolved and before the validation plugins).
 */
export function acknowledgeGrantedWildcards(policy: iam.ManagedPolicy, name: AcknowledgmentName, resourceArns: string[]): void {
  const details = () => resourceArns.map((arn) => nagResourceDetail(policy, arn));
  acknowledge(policy, name, details());
  policy.node.addValidation({
    validate: () => {
      acknowledge(policy, name, details());
      return [];
    },
  });
}
