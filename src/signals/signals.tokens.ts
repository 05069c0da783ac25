// DI tokens of the signals module: ingest writes through SERIES_SINK (a SeriesSink), the
// analysis and the API read through SIGNAL_READER (a SignalReader).
export const SERIES_SINK = Symbol('SERIES_SINK');
export const SIGNAL_READER = Symbol('SIGNAL_READER');
