// Event selectors: which events a trail records. Basic selectors (read/write type, management
// events, data resources by ARN prefix) and advanced ones (field selectors on eventCategory,
// eventSource, eventName, readOnly, resources.type, resources.ARN…), validated as PutEventSelectors
// does and matched against each event.
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from './generated/types.ts'
import { cloudTrailErrors } from './errors.ts'
import type { EventFacts } from './port.ts'
import { limits } from './limits.ts'

export type { EventFacts }

export type Selectors = { kind: 'basic'; selectors: EventSelector[] } | { kind: 'advanced'; selectors: AdvancedEventSelector[] }

/** A new trail records all management events, read and write, and no data events. */
export const defaultSelectors: Selectors = {
  kind: 'basic', selectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
}

/** Data resource types basic selectors take, with the bare prefix that means "every resource of the type". */
const basicTypes: Record<string, string> = {
  'AWS::S3::Object': 'arn:aws:s3', 'AWS::Lambda::Function': 'arn:aws:lambda', 'AWS::DynamoDB::Table': 'arn:aws:dynamodb',
}

const advancedFields = new Set(['eventCategory', 'eventSource', 'eventName', 'eventType', 'readOnly', 'resources.type', 'resources.ARN',
  'errorCode', 'sessionCredentialFromConsole', 'userIdentity.arn', 'vpcEndpointId', 'eventTypeName'])
const operators = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const

export function validateBasic(selectors: EventSelector[]): EventSelector[] {
  if (selectors.length > limits.maxEventSelectors) throw cloudTrailErrors.invalidSelectors('You have exceeded the maximum number of event selectors allowed per trail (5).')
  return selectors.map((selector) => {
    const resources = (selector.DataResources ?? []).map((resource) => {
      const prefix = basicTypes[resource.Type ?? '']
      if (prefix === undefined) throw cloudTrailErrors.invalidSelectors(`Value ${String(resource.Type)} for DataResources.Type is invalid.`)
      const values = resource.Values ?? []
      if (values.length > limits.maxDataResourceValues) throw cloudTrailErrors.invalidSelectors('You have exceeded the maximum number of data resource values (250).')
      for (const value of values) {
        if (!value.startsWith(prefix)) throw cloudTrailErrors.invalidSelectors(`Value ${value} for DataResources.Values is invalid.`)
      }
      return { Type: resource.Type, Values: values }
    })
    return {
      ReadWriteType: selector.ReadWriteType ?? 'All', IncludeManagementEvents: selector.IncludeManagementEvents ?? true,
      DataResources: resources, ExcludeManagementEventSources: selector.ExcludeManagementEventSources ?? [],
    }
  })
}

export function validateAdvanced(selectors: AdvancedEventSelector[]): AdvancedEventSelector[] {
  if (selectors.length > limits.maxAdvancedEventSelectors) throw cloudTrailErrors.invalidSelectors('You have exceeded the maximum number of advanced event selectors allowed per trail.')
  for (const selector of selectors) {
    const category = selector.FieldSelectors.find((f) => f.Field === 'eventCategory')
    for (const field of selector.FieldSelectors) checkField(field)
    const categories = category?.Equals ?? []
    if (category === undefined || categories.length !== 1) {
      throw cloudTrailErrors.invalidSelectors('The eventCategory field selector must be specified with exactly one Equals value.')
    }
    if (categories[0] === 'Data') {
      const type = selector.FieldSelectors.find((f) => f.Field === 'resources.type')
      if (type === undefined || type.Equals?.length !== 1) {
        throw cloudTrailErrors.invalidSelectors('The resources.type field selector must be specified with exactly one Equals value for data events.')
      }
    } else if (categories[0] !== 'Management') {
      throw cloudTrailErrors.invalidSelectors(`Value ${categories[0]!} for eventCategory is invalid.`)
    }
  }
  return selectors
}

function checkField(field: AdvancedFieldSelector): void {
  if (!advancedFields.has(field.Field)) throw cloudTrailErrors.invalidSelectors(`Field ${field.Field} is invalid.`)
  const used = operators.filter((op) => field[op] !== undefined)
  if (used.length === 0) throw cloudTrailErrors.invalidSelectors(`Field ${field.Field} must have at least one operator.`)
  for (const op of used) {
    if (field[op]!.length === 0) throw cloudTrailErrors.invalidSelectors(`Field ${field.Field} operator ${op} must have at least one value.`)
  }
  if (field.Field === 'readOnly' && used.some((op) => op !== 'Equals' || field[op]!.some((v) => v !== 'true' && v !== 'false'))) {
    throw cloudTrailErrors.invalidSelectors('The readOnly field selector only supports Equals with the values true or false.')
  }
}

/** Whether a trail with these selectors records the event. */
export function selects(selectors: Selectors, event: EventFacts): boolean {
  return selectors.kind === 'basic'
    ? selectors.selectors.some((s) => basicSelects(s, event))
    : selectors.selectors.some((s) => advancedSelects(s, event))
}

/** Whether any selector records data events at all (the cheap test on every data call). */
export function recordsData(selectors: Selectors): boolean {
  return selectors.kind === 'basic'
    ? selectors.selectors.some((s) => (s.DataResources ?? []).some((r) => (r.Values ?? []).length > 0))
    : selectors.selectors.some((s) => s.FieldSelectors.some((f) => f.Field === 'eventCategory' && f.Equals?.[0] === 'Data'))
}

function basicSelects(selector: EventSelector, event: EventFacts): boolean {
  const type = selector.ReadWriteType ?? 'All'
  if ((type === 'ReadOnly' && !event.readOnly) || (type === 'WriteOnly' && event.readOnly)) return false
  if (event.category === 'Management') {
    return selector.IncludeManagementEvents !== false && !(selector.ExcludeManagementEventSources ?? []).includes(event.eventSource)
  }
  return (selector.DataResources ?? []).some((data) => event.resources.some((resource) =>
    resource.type === data.Type && (data.Values ?? []).some((value) => resource.arn.startsWith(value))))
}

function advancedSelects(selector: AdvancedEventSelector, event: EventFacts): boolean {
  const plain = selector.FieldSelectors.filter((f) => !f.Field.startsWith('resources.'))
  const onResources = selector.FieldSelectors.filter((f) => f.Field.startsWith('resources.'))
  if (!plain.every((field) => holds(field, plainValue(field.Field, event)))) return false
  if (onResources.length === 0) return true
  return event.resources.some((resource) =>
    onResources.every((field) => holds(field, field.Field === 'resources.type' ? resource.type : resource.arn)))
}

function plainValue(field: string, event: EventFacts): string | undefined {
  switch (field) {
    case 'eventCategory': return event.category
    case 'eventSource': return event.eventSource
    case 'eventName': return event.eventName
    case 'eventType': return 'AwsApiCall'
    case 'readOnly': return String(event.readOnly)
    default: return undefined
  }
}

/** Every operator given must hold: positive ones by some value, negative ones by none. */
function holds(field: AdvancedFieldSelector, value: string | undefined): boolean {
  if (value === undefined) return false
  if (field.Equals !== undefined && !field.Equals.includes(value)) return false
  if (field.StartsWith !== undefined && !field.StartsWith.some((v) => value.startsWith(v))) return false
  if (field.EndsWith !== undefined && !field.EndsWith.some((v) => value.endsWith(v))) return false
  if (field.NotEquals?.includes(value) === true) return false
  if (field.NotStartsWith?.some((v) => value.startsWith(v)) === true) return false
  if (field.NotEndsWith?.some((v) => value.endsWith(v)) === true) return false
  return true
}
