/**
 * The transports `tessera notify` sends through. They are src/notify/'s
 * (HTTP for webhook and Slack, SMTP for email), built beside this engine;
 * until that module is merged this build has none, and notify leaves every
 * delivery pending with a one-line warning per channel. At the merge this
 * file becomes: export { transports } from '../notify/transports.js';
 */
import type { Transports } from '../app/notify.js';

export const transports: Transports = {};
