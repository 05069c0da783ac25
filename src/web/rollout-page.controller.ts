import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public, Scope } from '../auth/scope.decorator.js';
import { notFound } from '../common/domain-error.js';
import { rolloutListHtml } from './rollout-list.html.js';
import { rolloutPageHtml } from './page-html.js';
import { RolloutTimelineService } from './rollout-timeline.service.js';
import type { RolloutTimelineView } from './rollout-timeline.view.js';
import { ASSET_TYPES, readAsset } from './web-assets.js';

// The rollout page: a human view of what the gate answers and why. HTML shells are
// rendered here; the charts are drawn in the browser from the timeline JSON (uPlot).
@Controller()
export class RolloutPageController {
  constructor(private readonly timelines: RolloutTimelineService) {}

  // Content type set once the page exists: an error leaves as JSON, labelled as such.
  @Get()
  @Scope('read')
  @Header('Cache-Control', 'no-store')
  index(@Res({ passthrough: true }) res: Response): string {
    res.type('html');
    return rolloutListHtml(this.timelines.list().map((r) => ({ rollout: r, health: this.timelines.health(r) })));
  }

  @Get('rollouts/:id')
  @Scope('read')
  @Header('Cache-Control', 'no-store')
  page(@Param('id') id: string, @Res({ passthrough: true }) res: Response): string {
    if (!this.timelines.list().some((r) => r.rolloutId === id)) throw notFound(`rollout "${id.slice(0, 128)}" is unknown`);
    res.type('html');
    return rolloutPageHtml(id);
  }

  @Get('api/v1/rollouts/:id/timeline')
  @Scope('read')
  @Header('Cache-Control', 'no-store')
  timeline(@Param('id') id: string): Promise<RolloutTimelineView> {
    return this.timelines.timeline(id);
  }

  // Code and styles only, no state: open, so a browser can load them before it authenticates.
  @Get('ui/assets/:file')
  @Public()
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!Object.hasOwn(ASSET_TYPES, file)) throw notFound(`no asset "${file.slice(0, 64)}"`);
    res.setHeader('Content-Type', ASSET_TYPES[file]!);
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.send(readAsset(file));
  }
}
