// Resources: every service's resource types (as the services declare them) in a side list, and the
// chosen type's resources in a table with the declared columns, per account and region, filterable.
// The list is asked for at once, beside the services (not after them): one round trip less to the
// first page; the first rows are drawn and the rest on request, so 1,000 queues show fast.
import { useState } from 'preact/hooks'
import { api, type ResourceItem, type ServicesAnswer } from './api.ts'
import { value } from './format.ts'
import { href, replaceQuery } from './router.ts'
import { type Loaded, useLoad } from './use-load.ts'

const FIRST_ROWS = 200

interface Props { service: string | undefined; type: string | undefined; query: URLSearchParams }

export function ResourcesPage({ service, type, query }: Props) {
  const services = useLoad(() => api.services(), 'services')
  const wanted = type ?? services.data?.services.find((s) => s.name === service)?.resourceTypes[0]?.type
  const account = query.get('account') ?? ''
  const region = query.get('region') ?? ''
  const q = query.get('q') ?? ''
  const items = useLoad(() => (service === undefined || wanted === undefined ? Promise.resolve({ items: [] })
    : api.resources({ service, type: wanted, account, region, q })), JSON.stringify([service, wanted, account, region, q]), JSON.stringify([service, wanted]))
  if (services.error !== undefined) return <p role="alert" class="error">Could not load the services: {services.error}</p>
  if (services.data === undefined) return <p>Loading…</p>
  const chosen = services.data.services.find((s) => s.name === service)
  const resourceType = chosen?.resourceTypes.find((t) => t.type === type) ?? (type === undefined ? chosen?.resourceTypes[0] : undefined)
  return (
    <div class="split">
      <nav class="side" aria-label="Services">
        <h2 class="visually-hidden">Services</h2>
        <ul>
          {services.data.services.map((s) => (
            <li key={s.name}>
              <span class="service-name">{s.label}</span>
              <ul>
                {s.resourceTypes.map((t) => (
                  <li key={t.type}>
                    <a href={href(['resources', s.name, t.type], { account: query.get('account') ?? undefined, region: query.get('region') ?? undefined })}
                      aria-current={s === chosen && t === resourceType ? 'page' : undefined}>{t.label}</a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>
      <div class="content">
        {chosen === undefined || resourceType === undefined
          ? <Overview answer={services.data} />
          : <ResourceTable answer={services.data} service={chosen.name} type={resourceType.type} query={query} items={items} />}
      </div>
    </div>
  )
}

function Overview({ answer }: { answer: ServicesAnswer }) {
  return (
    <>
      <h1>Resources</h1>
      <p>Accounts {answer.accounts.join(', ') || '—'}; regions {answer.regions.join(', ') || '—'}. Press <kbd>/</kbd> to filter a
        list; <a href={href(['trace'])}>Trace</a> shows every API call and delivery.</p>
      <ul class="cards">
        {answer.services.map((s) => (
          <li key={s.name}>
            <h2>{s.label}</h2>
            <ul>{s.resourceTypes.map((t) => <li key={t.type}><a href={href(['resources', s.name, t.type])}>{t.label}</a></li>)}</ul>
          </li>
        ))}
      </ul>
    </>
  )
}

function ResourceTable({ answer, service, type, query, items }: { answer: ServicesAnswer; service: string; type: string; query: URLSearchParams;
  items: Loaded<{ items: ResourceItem[] }> }) {
  const info = answer.services.find((s) => s.name === service)!
  const declared = info.resourceTypes.find((t) => t.type === type)!
  const account = query.get('account') ?? ''
  const region = query.get('region') ?? ''
  const q = query.get('q') ?? ''
  const [all, setAll] = useState(false)
  const set = (key: string, v: string): void => {
    replaceQuery(['resources', service, type], { account, region, q, [key]: v })
  }
  return (
    <>
      <h1>{info.label}: {declared.label}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} role="search">
        <label>Account
          <select value={account} onChange={(e) => set('account', e.currentTarget.value)}>
            <option value="">All</option>
            {answer.accounts.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label>Region
          <select value={region} onChange={(e) => set('region', e.currentTarget.value)}>
            <option value="">All</option>
            {answer.regions.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <label>Filter
          <input type="search" data-filter value={q} placeholder="name contains…" onInput={(e) => set('q', e.currentTarget.value)} />
        </label>
        <button type="button" onClick={items.reload}>Refresh</button>
      </form>
      {items.error !== undefined && <p role="alert" class="error">{items.error}</p>}
      {items.data !== undefined && (
        <table class="grid">
          <caption class="visually-hidden">{declared.label} ({items.data.items.length})</caption>
          <thead>
            <tr><th scope="col">Name</th>{declared.columns.map((c) => <th scope="col" key={c.key}>{c.label}</th>)}</tr>
          </thead>
          <tbody>
            {(all ? items.data.items : items.data.items.slice(0, FIRST_ROWS)).map((item) => (
              <tr key={item.id}>
                <th scope="row"><a href={href(['resource', service, type, item.id])}>{item.name}</a></th>
                {declared.columns.map((c) => <td key={c.key}>{value(item.fields[c.key])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!all && items.data !== undefined && items.data.items.length > FIRST_ROWS && (
        <p><button type="button" onClick={() => setAll(true)}>Show all {items.data.items.length.toLocaleString('en-US')}</button>
          <span class="muted"> (or filter)</span></p>
      )}
      {items.data?.items.length === 0 && <p class="muted">No {declared.label.toLowerCase()} {q === '' ? 'yet' : `matching “${q}”`}.</p>}
    </>
  )
}
