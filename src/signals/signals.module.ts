import { Module } from '@nestjs/common';

// Placeholder until the signal store lands: provides SERIES_SINK and SIGNAL_READER.
@Module({})
export class SignalsModule {}
