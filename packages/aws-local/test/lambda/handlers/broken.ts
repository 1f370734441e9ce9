/** A module that fails while loading, as one with a missing configuration would. */
throw new Error("CLIENT_TABLE is not set");
export const handler = () => "never";
