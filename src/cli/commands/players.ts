import type { Command } from 'commander';
import type { Player } from '../../api-client/types.ts';
import { UsageError } from '../exit-codes.ts';
import { type Io, type Output, time } from '../output.ts';
import { action, positiveInt } from './shared.ts';

type ListOptions = {
  tracked?: boolean;
  flagged?: boolean;
  analyzed?: boolean;
  platform?: string;
  search?: string;
  limit: number;
  after?: string;
};

const rank = (p: Player) =>
  p.rank
    ? `${p.rank.tier} ${p.rank.division ?? ''} ${p.rank.leaguePoints ?? 0} LP`.replace('  ', ' ')
    : null;

function playersTable(out: Output, players: Player[]): string {
  return out.table(
    ['RIOT ID', 'PLATFORM', 'RANK', 'TRACKED', 'FLAGGED', 'LAST UPDATED', 'PUUID'],
    players.map((p) => [
      p.riotId,
      p.platform,
      rank(p),
      p.isTracked ? 'yes' : 'no',
      p.isFlagged ? out.colors.red('yes') : 'no',
      time(p.lastUpdated),
      p.puuid,
    ]),
  );
}

export function registerPlayers(program: Command, io: Io): void {
  const players = program.command('players').description('Track, untrack and list players');

  players
    .command('track')
    .description('Track a player by PUUID, or by Riot ID with --platform (refused past the limit)')
    .argument('<player>', 'PUUID, or "gameName#tagLine"')
    .option('--platform <platform>', 'e.g. euw1, na1, kr (needed with a Riot ID)')
    .addHelpText(
      'after',
      '\nExamples:\n  riftwatch players track "Faker#KR1" --platform kr\n  riftwatch players track <puuid>',
    )
    .action(
      action<{ platform?: string }, [string]>(io, async ({ api, json, out }, o, player) => {
        const request = player.includes('#')
          ? { riotId: player, ...(o.platform && { platform: o.platform }) }
          : { puuid: player, ...(o.platform && { platform: o.platform }) };
        const result = await api.trackPlayer(request);
        if (json) return void out.json(result);
        out.line(
          `Tracking ${result.player.riotId ?? result.player.puuid} (${result.player.platform})`,
        );
      }),
    );

  players
    .command('untrack')
    .description('Stop tracking a player (its data stays)')
    .argument('<puuid>', 'the PUUID')
    .action(
      action<object, [string]>(io, async ({ api, json, out }, _o, puuid) => {
        const result = await api.untrackPlayer(puuid);
        if (json) return void out.json(result);
        out.line(`No longer tracking ${result.player.riotId ?? result.player.puuid}`);
      }),
    );

  players
    .command('list')
    .description('Players riftwatch knows, filtered (ordered by PUUID)')
    .option('--tracked', 'tracked players only')
    .option('--no-tracked', 'untracked players only')
    .option('--flagged', 'players flagged by their latest analysis only')
    .option('--no-flagged', 'players not flagged only')
    .option('--analyzed', 'players analysed at least once only')
    .option('--no-analyzed', 'players never analysed only')
    .option('--platform <platform>', 'e.g. euw1')
    .option('--search <prefix>', 'Riot ID prefix, e.g. Faker or Faker#KR')
    .option('--limit <n>', 'how many (1-100)', positiveInt('--limit'), 50)
    .option('--after <cursor>', 'the page after this one (its nextCursor, printed below it)')
    .addHelpText('after', '\nExample:\n  riftwatch players list --tracked --no-flagged --limit 100')
    .action(
      action<ListOptions>(io, async ({ api, json, out }, o) => {
        if (o.search !== undefined && o.search.trim() === '')
          throw new UsageError('--search is empty');
        const result = await api.listPlayers(o);
        if (json) return void out.json(result);
        out.line(playersTable(out, result.players));
        const next = result.nextCursor ? `; next page: --after ${result.nextCursor}` : '';
        out.line(`${result.players.length} of ${result.totalCount}${next}`);
      }),
    );
}
