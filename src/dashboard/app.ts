import { html } from 'htm/preact';
import type { TokenPrompt } from './admin.ts';
import { Header } from './components/header.ts';
import { NotFound } from './components/not-found.ts';
import { Overview } from './components/overview.ts';
import { PlayerPage } from './components/player-page.ts';
import { TokenDialog } from './components/token-dialog.ts';
import type { Api } from './graphql.ts';
import { useRoute } from './route.ts';

export function App({ api, prompt }: { api: Api; prompt: TokenPrompt }) {
  const route = useRoute();
  return html`<${Header} api=${api} />
    <main id="main">
      ${
        route.page === 'player'
          ? html`<${PlayerPage} key=${route.puuid} api=${api} puuid=${route.puuid} />`
          : route.page === 'notFound'
            ? html`<${NotFound} hash=${route.hash} />`
            : html`<${Overview} api=${api} prompt=${prompt} />`
      }
    </main>
    <${TokenDialog} prompt=${prompt} />`;
}
