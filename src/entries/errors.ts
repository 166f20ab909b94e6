/**
 * `romgfx/errors`: every error class romgfx throws, by area, with its stable `ERR_…` code, its
 * category and its typed `details` (`RomgfxErrorDetailsByCode`). docs/errors.md lists them.
 * The package root exports the base class, `isRomgfxError` and the code and detail types; catch
 * with `isRomgfxError(error)` and `switch (error.code)`, or import a class from here for `instanceof`.
 * @module romgfx/errors
 */
export * from '../errors.js';
