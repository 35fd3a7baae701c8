export { whenOfficeReady, createMailHost } from './mail-host';
export { associateCommandActions } from './commands';
export * from './types';
