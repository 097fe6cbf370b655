// A CreateEventSourceMapping member outside its range in Lambda's model: the line Coral's
// ValidationException lists for it ("1 validation error detected: …").
export function range(name: string, value: number | undefined, min: number, max: number): string | undefined {
  if (value === undefined || (value >= min && value <= max)) return undefined
  return `Value '${value}' at '${name}' failed to satisfy constraint: Member must have value ` +
    (value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`)
}
