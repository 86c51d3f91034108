-- wrk script for benches/serve-load.sh: rotates over a fixed list of news
-- queries and prints one machine-readable RESULT line when the run ends.
--
--   wrk -t2 -c16 -d30s --latency -s benches/serve-load.lua http://127.0.0.1:PORT -- MODE
--
-- MODE:
--   byline        every query below, as /api/search?q=Q&n=10 (keywords,
--                 phrases, OR, exclusions, entity filters, dates, prefixes,
--                 misspellings: what people type into the archive's box)
--   byline-plain  only the plain ones, as /api/search?q=Q&n=10
--   tantivy       only the plain ones, as tantivy-cli serve's /api/?q=Q&nhits=10,
--                 each word and phrase marked required (+word, +"a phrase"):
--                 byline requires every word by default, tantivy's query
--                 parser (which tantivy-cli does not configure) ORs them, so
--                 this asks both engines for the same set of matches
--   tantivy-close as tantivy, each request on a new connection (Connection:
--                 close). tantivy-cli's server (iron on hyper 0.10) answers a
--                 request on a kept-alive connection only ~40 ms after it
--                 came (Nagle and delayed ACKs), so with keep-alive its req/s
--                 is about 22 per connection, whatever the CPU; this shows
--                 what its search does without that stall. wrk counts every
--                 close as a read error.
--   tantivy-or    the plain ones as typed (tantivy's default OR)
--
-- The words occur in BBC-derived text (gen-corpus stitches its articles from
-- BBC News sentences of 2004-2005: business, politics, sport, tech,
-- entertainment), common and rare ones alike, so that every query has hits
-- and the mix covers both long and short posting lists.
-- Queries are long strings, one `{ kind, [[query]] },` a line: serve-load.sh
-- reads this list to check every query once (status, hits) before loading.

local queries = {
  -- plain: keywords and phrases, the same text sent to every server
  { "plain", [[election]] },
  { "plain", [[oil prices]] },
  { "plain", [["prime minister"]] },
  { "plain", [[interest rates]] },
  { "plain", [["Bank of England"]] },
  { "plain", [[Chelsea]] },
  { "plain", [[Arsenal Wenger]] },
  { "plain", [["Champions League"]] },
  { "plain", [[mobile phone]] },
  { "plain", [[broadband]] },
  { "plain", [[Oscar nominations]] },
  { "plain", [[Labour Tories]] },
  { "plain", [[Iraq]] },
  { "plain", [[Microsoft Google]] },
  { "plain", [[iPod]] },
  { "plain", [[virus]] },
  { "plain", [[China economy]] },
  { "plain", [[dollar]] },
  { "plain", [[shares profits]] },
  { "plain", [[Yukos]] },
  { "plain", [[rugby Wales]] },
  { "plain", [["Australian Open"]] },
  { "plain", [["world cup"]] },
  { "plain", [[budget tax]] },
  { "plain", [[asylum immigration]] },
  { "plain", [["box office"]] },
  { "plain", [[album]] },
  { "plain", [[spam]] },
  { "plain", [[airline jobs]] },
  { "plain", [["house prices"]] },
  { "plain", [[London]] },
  { "plain", [[strike]] },
  -- byline's query language: entity filters, dates, OR, exclusions,
  -- prefixes, misspellings (byline only; a misspelling finds little or
  -- nothing, and costs the spelling suggestion)
  { "byline", [[person:Blair]] },
  { "byline", [[person:Blair election]] },
  { "byline", [[person:"Tony Blair" Iraq]] },
  { "byline", [[place:London strike]] },
  { "byline", [[bank after:2004-06-01]] },
  { "byline", [[org:Microsoft]] },
  { "byline", [[person:Mourinho Chelsea]] },
  { "byline", [[place:China]] },
  { "byline", [[oil before:2003-01-01]] },
  { "byline", [[election after:2010-01-01 before:2015-01-01]] },
  { "byline", [[org:Yukos]] },
  { "byline", [[place:Iraq -Bush]] },
  { "byline", [[film OR album]] },
  { "byline", [[Chelsea -Arsenal]] },
  { "byline", [[place:Wales rugby]] },
  { "byline", [[person:Federer]] },
  { "byline", [[football on:2004-11-15]] },
  { "byline", [[econom*]] },
  { "byline", [[goverment]] },
  { "byline", [[Chelsae]] },
}

local mode = "byline"
local list = {}
local counter = 0
local headers = nil

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- "oil prices" -> +oil +prices; "\"prime minister\" x" -> +"prime minister" +x
local function required(q)
  local out = {}
  local rest = q
  while #rest > 0 do
    rest = rest:gsub("^%s+", "")
    if #rest == 0 then break end
    local phrase = rest:match('^("[^"]*")')
    if phrase then
      table.insert(out, "+" .. phrase)
      rest = rest:sub(#phrase + 1)
    else
      local word = rest:match("^(%S+)")
      table.insert(out, "+" .. word)
      rest = rest:sub(#word + 1)
    end
  end
  return table.concat(out, " ")
end

-- wrk calls setup once per thread, in the main Lua state; thread:set makes
-- a global in the thread's own state, which init reads.
local threads_made = 0
function setup(thread)
  thread:set("thread_index", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  mode = args[1] or "byline"
  for _, e in ipairs(queries) do
    local kind, q = e[1], e[2]
    if mode == "byline" then
      table.insert(list, "/api/search?q=" .. urlencode(q) .. "&n=10")
    elseif kind == "plain" then
      if mode == "byline-plain" then
        table.insert(list, "/api/search?q=" .. urlencode(q) .. "&n=10")
      elseif mode == "tantivy" or mode == "tantivy-close" then
        table.insert(list, "/api/?q=" .. urlencode(required(q)) .. "&nhits=10")
      elseif mode == "tantivy-or" then
        table.insert(list, "/api/?q=" .. urlencode(q) .. "&nhits=10")
      end
    end
  end
  if #list == 0 then
    error("unknown mode " .. mode)
  end
  if mode == "tantivy-close" then
    headers = { ["Connection"] = "close" }
  end
  -- threads start at different places in the list
  counter = ((thread_index or 0) * 7) % #list
end

function request()
  counter = counter % #list + 1
  return wrk.format("GET", list[counter], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "connect=%d read=%d write=%d timeout=%d status=%d bytes=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end
