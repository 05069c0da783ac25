// Block Kit limits (docs.slack.dev, block reference): exceeding any of them makes Slack answer
// 400 invalid_blocks, so the renderer truncates to them instead.
export const SLACK_LIMITS = {
  blocks: 50,
  text: 3000,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextText: 3000,
  buttonText: 75,
  buttonUrl: 3000,
} as const;

// mrkdwn treats &, < and > as control characters (links, mentions).
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
