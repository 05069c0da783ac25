import { Inject, Injectable } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { describeRoute, type RouteController, type RouteDescription } from './route-requirement.js';

export interface RouteEntry extends RouteDescription {
  readonly controller: string;
  readonly handler: string;
}

// Every HTTP route of the running application with what it requires, found the way Nest
// finds them (controllers' methods carrying a request-method decorator).
@Injectable()
export class RouteTable {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  routes(): RouteEntry[] {
    const entries: RouteEntry[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as RouteController | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const route = describeRoute(this.reflector, controller, handler, this.config.auth.protectMetrics);
        entries.push({ ...route, controller: controller.name, handler: name });
      }
    }
    return entries;
  }
}
