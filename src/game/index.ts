/** The sprite-level editor API: `openGame` and the `Game` it returns. */
export { openGame, Game, type OpenGameOptions, type GameSpriteInfo, type DecodedSprite, type GameEdit, type SpritePixels, type GameSaveOptions } from './game.js';
