// Every TypeORM entity of the application. The drift test compares them with migrations/.
export const entities: Function[] = [];
