/**
 * How a job worker sends an error back: as data, because a RomgfxError posted across threads
 * arrives as a plain Error without its code. The main thread rebuilds it with
 * `RomgfxError.fromJSON` (same code, category, message and details, and the same class).
 */
import { RomgfxError, type ErrorCategory, type ErrorDetails } from '../errors.js';

/** A romgfx error as a worker posts it. */
export interface WorkerErrorJson {
  name: string;
  code: string;
  category: ErrorCategory;
  message: string;
  details: ErrorDetails;
}

function cloneableDetails(details: ErrorDetails): ErrorDetails {
  try {
    // Plain data survives as it is (nested lists of failures included); anything else is named.
    return structuredClone(details);
  } catch {
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(details)) flat[k] = v === null || ['string', 'number', 'boolean'].includes(typeof v) ? v : String(v);
    return flat as ErrorDetails;
  }
}

/** Any thrown value as data; a non-romgfx failure becomes ERR_INTERNAL naming `where`. */
export function workerErrorJson(error: unknown, where: string): WorkerErrorJson {
  if (error instanceof RomgfxError) {
    return { name: error.name, code: error.code, category: error.category, message: error.message, details: cloneableDetails(error.details) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'InternalError', code: 'ERR_INTERNAL', category: 'internal', message: `unexpected failure in ${where}: ${message}`, details: {} };
}
