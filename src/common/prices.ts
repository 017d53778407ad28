/** A model's prices, integer micro-USD per token (the route's provider's, as the platform bills). */
export interface ModelPrices {
  inputMicroUsdPerToken: number;
  outputMicroUsdPerToken: number;
}

/** Integer micro-USD of a request's usage at the model's prices: the platform's billing formula. */
export function costMicroUsd(prices: ModelPrices, promptTokens: number, completionTokens: number): number {
  return promptTokens * prices.inputMicroUsdPerToken + completionTokens * prices.outputMicroUsdPerToken;
}
