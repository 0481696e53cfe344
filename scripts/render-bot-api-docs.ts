// Writes docs/bot-api-reference.md from the bot API's OpenAPI document (npm run docs:bot-api).
import { writeFileSync } from 'node:fs';

import { renderBotApiReference } from '../packages/connector/src/http/bot/reference.js';

writeFileSync(new URL('../docs/bot-api-reference.md', import.meta.url), renderBotApiReference());
