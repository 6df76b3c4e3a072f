/** How long a player whose Riot fetch, analysis or account check failed waits to be taken again. */
export const RETRY_FAILED_HOURS = 1;
