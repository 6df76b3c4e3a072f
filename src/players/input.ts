import { isPlatform, PLATFORMS, type Platform } from '../riot/routing.ts';
import { PlayerInputError } from './errors.ts';

/** Riot PUUIDs are 78 characters of URL-safe base64. */
const PUUID_PATTERN = /^[A-Za-z0-9_-]{78}$/;
/** Control characters, and half of a surrogate pair (no URL or database takes one). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const CONTROL = /[\u0000-\u001f\u007f]|\p{Cs}/u;

export function checkPuuid(puuid: string): string {
  if (!PUUID_PATTERN.test(puuid)) {
    throw new PlayerInputError(
      `Invalid PUUID ${JSON.stringify(truncate(puuid))}: expected 78 characters of A-Z, a-z, 0-9, - and _`,
    );
  }
  return puuid;
}

export function checkPlatform(platform: string): Platform {
  const value = platform.trim().toLowerCase();
  if (!isPlatform(value)) {
    throw new PlayerInputError(
      `Unknown platform ${JSON.stringify(truncate(platform))}: expected one of ${PLATFORMS.join(', ')}`,
    );
  }
  return value;
}

export type RiotId = { gameName: string; tagLine: string };

/**
 * Validates a Riot ID's parts: a game name of 1–16 characters and a tag of 2–5 (any script:
 * names are Unicode), neither containing `#`, control characters or a lone surrogate.
 */
export function checkRiotId(gameName: string, tagLine: string): RiotId {
  const name = gameName.normalize('NFC').trim();
  const tag = tagLine.normalize('NFC').trim();
  const nameLength = [...name].length;
  const tagLength = [...tag].length;
  const shown = JSON.stringify(truncate(`${gameName}#${tagLine}`));
  if (nameLength < 1 || nameLength > 16 || name.includes('#') || CONTROL.test(name)) {
    throw new PlayerInputError(`Invalid Riot ID ${shown}: the game name must be 1–16 characters`);
  }
  if (tagLength < 2 || tagLength > 5 || tag.includes('#') || CONTROL.test(tag)) {
    throw new PlayerInputError(`Invalid Riot ID ${shown}: the tag must be 2–5 characters`);
  }
  return { gameName: name, tagLine: tag };
}

/** `"Name#TAG"` → its parts (the last `#` separates them). */
export function parseRiotId(text: string): RiotId {
  const at = text.lastIndexOf('#');
  if (at < 0) {
    throw new PlayerInputError(
      `Invalid Riot ID ${JSON.stringify(truncate(text))}: expected "gameName#tagLine"`,
    );
  }
  return checkRiotId(text.slice(0, at), text.slice(at + 1));
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
