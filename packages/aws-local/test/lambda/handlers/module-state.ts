/** State in a module the handler imports: what re-importing the handler alone would not isolate. */
export const state = { invocations: 0 };
