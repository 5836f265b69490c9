// A message for the next screen, after work that ends by leaving this one (an erasure ends on
// the children list or the reviews screen). Taken once; never names anyone.
let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string | null {
  const message = pending;
  pending = null;
  return message;
}
