import { SetMetadata } from '@nestjs/common';

export const OPEN_UNLESS_PROTECT_METRICS = 'wavewatch:auth-open-metrics';

/** With @Scope('read'): the route is open unless auth.protectMetrics is true (GET /metrics). */
export const OpenUnlessProtectMetrics = (): MethodDecorator => SetMetadata(OPEN_UNLESS_PROTECT_METRICS, true);
