/**
 * `romgfx/native`: the N-API addon's status and the switch between its kernels and the
 * TypeScript ones (docs/native-codecs.md). Both give the same bytes; the addon is optional.
 * @module romgfx/native
 */
export { nativeStatus, useNativeKernels, useTypescriptKernels, activeHalImplementation, type NativeStatus } from '../native/index.js';
