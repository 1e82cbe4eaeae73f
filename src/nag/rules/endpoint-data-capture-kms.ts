import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** Captured requests and responses are encrypted with a customer-managed key. */
export const EndpointDataCaptureKms = resourceRule('AWS::SageMaker::EndpointConfig', {
  name: 'EndpointDataCaptureKms',
  info: 'The endpoint configuration captures data without a KMS key.',
  explanation: 'Data capture writes inference payloads, often personal data, to S3. DataCaptureConfig.KmsKeyId must '
    + 'name a customer-managed key when capture is enabled.',
  level: NagMessageLevel.ERROR,
}, (p) => {
  const capture = p.DataCaptureConfig;
  if (!capture || capture.EnableCapture === false) return true;
  return present(get(capture, 'KmsKeyId'));
});
