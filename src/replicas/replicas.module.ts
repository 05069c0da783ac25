import { Global, Module } from '@nestjs/common';
import { ReplicaCoordinator } from './replica-coordinator.js';
import { SharedEvaluation } from './shared-evaluation.js';

// Global: evaluation, notify, rollouts, signal history and pull all ask who leads.
@Global()
@Module({
  providers: [ReplicaCoordinator, SharedEvaluation],
  exports: [ReplicaCoordinator, SharedEvaluation],
})
export class ReplicasModule {}
