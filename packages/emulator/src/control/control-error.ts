// Control-plane failures: a status and a readable message, answered as `{ "error": "..." }`.

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badInput = (message: string): ControlError => new ControlError(400, message);
export const notFoundControl = (message: string): ControlError => new ControlError(404, message);
