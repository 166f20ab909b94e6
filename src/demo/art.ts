/**
 * The demo's art, drawn by code so the demo ROM is ours and deterministic: eight 16×16 sprites
 * (palette indices 0–15, 0 = transparent) and one 16-colour palette. No third-party graphics.
 */

export const demoSpriteSizeInPixels = 16;

export interface DemoSprite {
  name: string;
  /** 16×16 palette indices, row-major. */
  pixels: Uint8Array;
}

/** SNES BGR555 colours: transparent, outline, then ramps for skin, red, green, blue, gold, grey. */
export const demoPaletteRgb: readonly (readonly [number, number, number])[] = [
  [0, 0, 0], [24, 16, 32], [248, 248, 248], [248, 200, 160],
  [200, 40, 48], [248, 96, 88], [40, 136, 56], [120, 208, 96],
  [40, 72, 184], [104, 152, 248], [200, 152, 24], [248, 216, 72],
  [88, 88, 104], [160, 160, 176], [120, 72, 40], [176, 120, 72],
];

type Painter = (x: number, y: number) => number;

function draw(painter: Painter): Uint8Array {
  const out = new Uint8Array(demoSpriteSizeInPixels * demoSpriteSizeInPixels);
  for (let y = 0; y < demoSpriteSizeInPixels; y++) {
    for (let x = 0; x < demoSpriteSizeInPixels; x++) out[y * demoSpriteSizeInPixels + x] = painter(x, y) & 0x0f;
  }
  return outline(out);
}

/** Adds a 1-pixel dark outline around every opaque shape (index 1), as sprite artists do. */
function outline(pixels: Uint8Array): Uint8Array {
  const n = demoSpriteSizeInPixels;
  const out = pixels.slice();
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (pixels[y * n + x] !== 0) continue;
      const near = (dx: number, dy: number) => {
        const nx = x + dx;
        const ny = y + dy;
        return nx >= 0 && ny >= 0 && nx < n && ny < n && pixels[ny * n + nx]! > 1;
      };
      if (near(1, 0) || near(-1, 0) || near(0, 1) || near(0, -1)) out[y * n + x] = 1;
    }
  }
  return out;
}

const inCircle = (x: number, y: number, cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

export function demoSprites(): DemoSprite[] {
  return [
    {
      name: 'ball',
      pixels: draw((x, y) => (inCircle(x, y, 7.5, 7.5, 6.2) ? (inCircle(x, y, 5.5, 5, 1.6) ? 2 : x + y < 13 ? 9 : 8) : 0)),
    },
    {
      name: 'heart',
      pixels: draw((x, y) => {
        const lobes = inCircle(x, y, 5, 5, 3.3) || inCircle(x, y, 10, 5, 3.3);
        const point = y >= 5 && y <= 13 && Math.abs(x - 7.5) <= 13 - y - 0.5 + 0.01 && Math.abs(x - 7.5) <= 7;
        if (!(lobes || point)) return 0;
        return inCircle(x, y, 4.5, 4, 1.2) ? 2 : x < 8 ? 5 : 4;
      }),
    },
    {
      name: 'gem',
      pixels: draw((x, y) => {
        const d = Math.abs(x - 7.5) + Math.abs(y - 7.5);
        if (d > 7) return 0;
        return d < 2.5 ? 2 : x < 8 === y < 8 ? 7 : 6;
      }),
    },
    {
      name: 'coin',
      pixels: draw((x, y) => {
        if (!(((x - 7.5) / 5.2) ** 2 + ((y - 7.5) / 6.8) ** 2 <= 1)) return 0;
        if (x >= 7 && x <= 8 && y >= 4 && y <= 11) return 10;
        return x < 7 ? 11 : 10;
      }),
    },
    {
      name: 'mushroom',
      pixels: draw((x, y) => {
        if (y <= 8 && inCircle(x, y, 7.5, 8, 7)) return inCircle(x, y, 4, 4, 1.8) || inCircle(x, y, 11, 4, 1.8) ? 2 : 4;
        if (y > 8 && y <= 14 && x >= 4 && x <= 11) return x === 6 && y === 10 ? 1 : 3;
        return 0;
      }),
    },
    {
      name: 'slime',
      pixels: draw((x, y) => {
        if (y < 5 || y > 14) return 0;
        const half = y < 9 ? (y - 4) * 1.6 : 7;
        if (Math.abs(x - 7.5) > half) return 0;
        if (y === 9 && (x === 5 || x === 10)) return 1;
        return y < 8 ? 7 : 6;
      }),
    },
    {
      name: 'key',
      pixels: draw((x, y) => {
        if (inCircle(x, y, 4.5, 7.5, 3.6)) return inCircle(x, y, 4.5, 7.5, 1.4) ? 0 : 11;
        if (y >= 7 && y <= 8 && x >= 7 && x <= 14) return 10;
        if (y >= 9 && y <= 11 && (x === 11 || x === 13)) return 10;
        return 0;
      }),
    },
    {
      name: 'potion',
      pixels: draw((x, y) => {
        if (y >= 1 && y <= 3 && x >= 6 && x <= 9) return 15;
        if (y >= 4 && y <= 6 && x >= 6 && x <= 9) return 13;
        if (inCircle(x, y, 7.5, 10.5, 4.6)) return y < 9 ? 12 : inCircle(x, y, 5.5, 10, 1) ? 2 : 5;
        return 0;
      }),
    },
  ];
}

/** The palette as SNES BGR555 words (5 bits per channel, red in the low bits). */
export function demoPaletteBgr555(): Uint16Array {
  const out = new Uint16Array(demoPaletteRgb.length);
  demoPaletteRgb.forEach(([r, g, b], i) => {
    out[i] = (r >> 3) | ((g >> 3) << 5) | ((b >> 3) << 10);
  });
  return out;
}
