import { html, render } from 'htm/preact';
import { createTokenPrompt } from './admin.ts';
import { App } from './app.ts';
import { createApi } from './graphql.ts';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
root.replaceChildren();
render(html`<${App} api=${createApi()} prompt=${createTokenPrompt()} />`, root);
