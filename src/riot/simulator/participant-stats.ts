import type { SimMatch, SimParticipant } from './world-matches.ts';

type Json = Record<string, unknown>;

const sum = (ps: SimParticipant[], f: (p: SimParticipant) => number) =>
  ps.reduce((n, p) => n + f(p), 0);

/** Damage a participant takes: more for the often dead and the front line, some for everyone. */
const damageTaken = (p: SimParticipant, minutes: number) =>
  Math.round(p.damage * 0.7 + p.deaths * 1_400 + minutes * 250);

/**
 * The fields and `challenges` Riot derives from a participant's game, made to agree with the
 * generated K/D/A, damage, gold and vision (the template's would be the same for all ten players).
 */
export function derivedStats(match: SimMatch, p: SimParticipant, templateChallenges: Json) {
  const minutes = match.durationSeconds / 60;
  const team = match.participants.filter((q) => q.teamId === p.teamId);
  const opponent = match.participants.find(
    (q) => q.teamId !== p.teamId && q.position === p.position,
  );
  const teamKills = sum(team, (q) => q.kills);
  const teamDamage = sum(team, (q) => q.damage);
  const teamTaken = sum(team, (q) => damageTaken(q, minutes));
  const taken = damageTaken(p, minutes);
  const wardsPlaced = Math.round(p.vision / 2.5);
  const controlWards = Math.round(p.vision / 12);
  const wardsKilled = Math.round(p.vision / 8);
  const laneMinions = Math.min(
    p.minions,
    Math.round((p.minions / Math.max(1, minutes)) * 10 * 0.9),
  );
  return {
    totalDamageTaken: taken,
    wardsPlaced,
    wardsKilled,
    detectorWardsPlaced: controlWards,
    visionWardsBoughtInGame: controlWards,
    challenges: {
      ...templateChallenges,
      kda: (p.kills + p.assists) / Math.max(1, p.deaths),
      takedowns: p.kills + p.assists,
      deathsByEnemyChamps: p.deaths,
      killParticipation: teamKills > 0 ? (p.kills + p.assists) / teamKills : 0,
      soloKills: Math.floor(p.kills / 3),
      damagePerMinute: p.damage / minutes,
      teamDamagePercentage: teamDamage > 0 ? p.damage / teamDamage : 0,
      damageTakenOnTeamPercentage: teamTaken > 0 ? taken / teamTaken : 0,
      goldPerMinute: p.gold / minutes,
      visionScorePerMinute: p.vision / minutes,
      controlWardsPlaced: controlWards,
      stealthWardsPlaced: wardsPlaced - controlWards,
      wardTakedowns: wardsKilled,
      laneMinionsFirst10Minutes: laneMinions,
      jungleCsBefore10Minutes: Math.round((p.neutral / Math.max(1, minutes)) * 10 * 0.9),
      maxCsAdvantageOnLaneOpponent: Math.max(
        0,
        Math.round((p.minions - (opponent?.minions ?? p.minions)) / 4),
      ),
      maxLevelLeadLaneOpponent: Math.max(0, p.champLevel - (opponent?.champLevel ?? p.champLevel)),
      laningPhaseGoldExpAdvantage: opponent && p.gold > opponent.gold ? 1 : 0,
      earlyLaningPhaseGoldExpAdvantage: opponent && p.gold > opponent.gold * 1.1 ? 1 : 0,
      perfectGame: p.deaths === 0 && p.win ? 1 : 0,
    },
  };
}
