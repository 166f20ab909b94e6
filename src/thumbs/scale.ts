/**
 * Nearest-neighbour resampling of palette-index images. Pixel art must stay crisp, so only
 * integer factors: enlarge by repeating each pixel `factor` times, shrink by keeping every
 * `divisor`-th pixel. Working on indices (one byte per pixel) keeps the exact palette.
 */
import { ThumbnailRequestError } from '../errors.js';
import { scratchSlots, type PixelScratch } from '../gfx/image.js';
import { maximumOutputPixelCount, maximumOutputSideInPixels } from './request.js';

/** An image of palette indices, one byte per pixel, rows top to bottom. */
export interface IndexedImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** How to resample: enlarge by `factor` (≥ 1) or shrink by `divisor` (≥ 1); one of them is 1. */
export interface ScalePlan {
  factor: number;
  divisor: number;
  width: number;
  height: number;
}

/** The plan for an explicit integer scale. */
export function planScale(width: number, height: number, factor: number): ScalePlan {
  return checkPlan({ factor, divisor: 1, width: width * factor, height: height * factor });
}

/**
 * The plan that fits `width`×`height` into the box: the largest integer enlargement that fits, or,
 * for an image larger than the box, the smallest integer shrink that fits.
 */
export function planFit(width: number, height: number, boxWidth: number, boxHeight: number): ScalePlan {
  const factor = Math.min(Math.floor(boxWidth / width), Math.floor(boxHeight / height));
  if (factor >= 1) return checkPlan({ factor, divisor: 1, width: width * factor, height: height * factor });
  const divisor = Math.max(Math.ceil(width / boxWidth), Math.ceil(height / boxHeight));
  return checkPlan({ factor: 1, divisor, width: Math.ceil(width / divisor), height: Math.ceil(height / divisor) });
}

function checkPlan(plan: ScalePlan): ScalePlan {
  if (plan.width > maximumOutputSideInPixels || plan.height > maximumOutputSideInPixels || plan.width * plan.height > maximumOutputPixelCount) {
    throw new ThumbnailRequestError(
      'output',
      `the thumbnail would be ${plan.width}×${plan.height} pixels; the limit is ${maximumOutputSideInPixels} per side and ${maximumOutputPixelCount} in all`,
      { width: plan.width, height: plan.height },
    );
  }
  return plan;
}

/** Applies a plan. Returns the input itself when the plan is the identity. */
export function resampleIndexed(image: IndexedImage, plan: ScalePlan, scratch?: PixelScratch): IndexedImage {
  if (plan.factor === 1 && plan.divisor === 1) return image;
  const { width: outWidth, height: outHeight } = plan;
  // Every output pixel is written below, so a reused buffer needs no clearing.
  const out = scratch ? scratch.take(scratchSlots.scaled, outWidth * outHeight, false) : new Uint8Array(outWidth * outHeight);
  const src = image.pixels;
  const srcWidth = image.width;
  if (plan.divisor === 1) {
    const factor = plan.factor;
    // Build one output row, then copy it `factor` times: copyWithin is a memmove, far cheaper than re-sampling.
    for (let y = 0; y < image.height; y++) {
      const rowStart = y * factor * outWidth;
      let o = rowStart;
      const s = y * srcWidth;
      if (factor === 2) {
        // The common thumbnail scale, without the inner loop.
        for (let x = 0; x < srcWidth; x++, o += 2) {
          const value = src[s + x]!;
          out[o] = value;
          out[o + 1] = value;
        }
      } else {
        for (let x = 0; x < srcWidth; x++) {
          const value = src[s + x]!;
          for (let k = 0; k < factor; k++) out[o++] = value;
        }
      }
      for (let k = 1; k < factor; k++) out.copyWithin(rowStart + k * outWidth, rowStart, rowStart + outWidth);
    }
  } else {
    const divisor = plan.divisor;
    let o = 0;
    for (let y = 0; y < outHeight; y++) {
      const s = y * divisor * srcWidth;
      for (let x = 0; x < outWidth; x++) out[o++] = src[s + x * divisor]!;
    }
  }
  return { width: outWidth, height: outHeight, pixels: out };
}
