import { NagMessageLevel } from 'cdk-nag';
import { get, resourceRule } from './rule';

const APPS = ['JupyterLabAppSettings', 'CodeEditorAppSettings'];

/** Idle JupyterLab and Code Editor apps are shut down. */
export const DomainIdleShutdown = resourceRule('AWS::SageMaker::Domain', {
  name: 'DomainIdleShutdown',
  info: 'The SageMaker domain does not enable idle shutdown for JupyterLab and Code Editor apps.',
  explanation: 'Without idle shutdown an abandoned notebook keeps its instance (often a GPU) running and billing; the '
    + 'domain default AppLifecycleManagement.IdleSettings.LifecycleManagement should be ENABLED for both app types.',
  level: NagMessageLevel.WARN,
}, (p) => APPS.every((app) => get(p, `DefaultUserSettings.${app}.AppLifecycleManagement.IdleSettings.LifecycleManagement`) === 'ENABLED'));
