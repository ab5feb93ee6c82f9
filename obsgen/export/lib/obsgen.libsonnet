// Helpers of the mixins obsgen exports: numbers, units and alerts written exactly as
// obsgen writes them, so the default configuration reproduces generated/ and an override
// of a threshold moves the expression and the description together.
//
// Cost, on jsonnet's C++ interpreter (what `obsgen test` and most users run): `==` and `!=`
// call std.equals, a jsonnet function of about ten builtin calls, and much of std (std.abs,
// std.max, `%`, std.member, std.parseInt, std.set, std.startsWith) is jsonnet over it; an
// object's field is evaluated again at every read. So this library compares primitives with
// std.primitiveEquals, works on strings with the builtins (std.substr, std.codepoint,
// std.splitLimit, std.parseJson), and keeps what it reads more than once in locals and
// arrays, which are evaluated once.

// Every unit a threshold can be written in (obsgen.model.units): what descriptions
// print after the number, and the exact factor to Prometheus's base unit (num / den).
local standardUnits = {
    us: { symbol: 'µs', num: 1, den: 1000000 },
    ms: { symbol: 'ms', num: 1, den: 1000 },
    seconds: { symbol: 's', num: 1, den: 1 },
    minutes: { symbol: 'min', num: 60, den: 1 },
    hours: { symbol: 'h', num: 3600, den: 1 },
    days: { symbol: 'd', num: 86400, den: 1 },
    weeks: { symbol: 'w', num: 604800, den: 1 },
    percent: { symbol: '%', num: 1, den: 100 },
    ratio: { symbol: '', num: 1, den: 1 },
    bytes_: { symbol: 'B', num: 1, den: 1 },
    MB: { symbol: 'MB', num: 1000000, den: 1 },
    GB: { symbol: 'GB', num: 1000000000, den: 1 },
    per_second: { symbol: 'per second', num: 1, den: 1 },
    per_minute: { symbol: 'per minute', num: 1, den: 60 },
    per_hour: { symbol: 'per hour', num: 1, den: 3600 },
    count: { symbol: '', num: 1, den: 1 },
};

// k zeros (std.repeat is jsonnet over std.join).
local zeros(k) = std.join('', std.makeArray(k, function(_) '0'));

// |n| (std.abs checks its argument's type with ==).
local magnitude(n) = if n > 0 then n else -n;

{
  units:: standardUnits,

  // Numbers are spelt from their decimal digits, not with std.format, whose arithmetic is
  // inexact past 15 digits (and which is slow: this library joins strings with +).
  // A decimal is [digits, power, negative]: (-)digits x 10^power, digits a string without
  // leading zeros (integers past 2^53 are not exact in jsonnet). Tuples are arrays, not
  // objects: jsonnet caches an array's elements, not an object's fields.

  // The 17 significant digits of |n| as C's %.17g gives them: [digits, point] with
  // |n| = 0.<digits> x 10^point.
  digits(n)::
    local parts = std.splitLimit('' + magnitude(n), 'e', 1);
    local mantissa = std.splitLimit(parts[0], '.', 1);
    local all = mantissa[0] + (if std.length(mantissa) > 1 then mantissa[1] else '');
    local lead(i) = if i < std.length(all) && std.primitiveEquals(all[i], '0') then lead(i + 1) else i;  // std.lstripChars is slow
    local significant = std.substr(all, lead(0), std.length(all));
    local power = if std.length(parts) > 1 then $.exponent(parts[1]) else 0;
    [significant, std.length(mantissa[0]) + power - (std.length(all) - std.length(significant))],

  // An exponent as printed ('+16', '-07') as a number (std.parseInt folds in jsonnet).
  exponent(text)::
    local sign = if std.primitiveEquals(text[0], '-') then -1 else 1;
    local read(i, value) = if i >= std.length(text) then value else read(i + 1, value * 10 + std.codepoint(text[i]) - 48);
    sign * read(if std.primitiveEquals(text[0], '-') || std.primitiveEquals(text[0], '+') then 1 else 0, 0),

  // A digit string plus one in its last place: '1299' -> '1300', '99' -> '100'.
  increment(digits)::
    local last(i) = if i >= 0 && std.primitiveEquals(digits[i], '9') then last(i - 1) else i;
    local at = last(std.length(digits) - 1);
    if at < 0 then '1' + zeros(std.length(digits))
    else std.substr(digits, 0, at) + std.char(std.codepoint(digits[at]) + 1) + zeros(std.length(digits) - at - 1),

  // A decimal without the trailing zeros of its digits: ['2500', -1, false] -> ['25', 1, false].
  stripped(x)::
    local end(i) = if i > 1 && std.primitiveEquals(x[0][i - 1], '0') then end(i - 1) else i;
    local keep = end(std.length(x[0]));
    [std.substr(x[0], 0, keep), x[1] + std.length(x[0]) - keep, x[2]],

  // The first p digits of d (of $.digits) rounded half up, trailing zeros kept: the decimal
  // <them> x 10^(d[1] - p). A carry lengthens them ('999' -> '1000'), not the power.
  roundedDigits(d, p)::
    local head = if std.length(d[0]) >= p then std.substr(d[0], 0, p) else d[0] + zeros(p - std.length(d[0]));
    local up = std.length(d[0]) > p && std.codepoint(d[0][p]) >= 53;  // '5'
    if up then $.increment(head) else head,

  // Digits d (of $.digits) rounded half up to p significant digits: a decimal of |n|.
  rounded(d, p):: $.stripped([$.roundedDigits(d, p), d[1] - p, false]),

  // n as its shortest decimal that reads back as n (Python's repr, Go's 'g' -1),
  // e.g. 99.9 -> ['999', -1, false]; d: n's 17 digits, when the caller has them already.
  decimal(n, d=$.digits(n)):: if std.primitiveEquals(n, 0) then ['0', 0, false] else $.shortestOf(d, n),

  // The shortest decimal of n (not 0) from d, its 17 digits (of $.digits). Those 17 read back
  // as n; when they come to 15 or fewer without trailing zeros they are the shortest (two
  // decimals of 15 digits that both read back as n would be closer than a double's spacing).
  // Else the fewest of 15, 16 and 17 digits that read back as n: if p digits do, so do p + 1
  // (they round to the same decimal below 17 digits, and 17 digits are n's own).
  shortestOf(d, n)::
    local exact = $.stripped([d[0], d[1] - std.length(d[0]), n < 0]);
    local reads(p) = std.primitiveEquals(std.parseJson($.roundedDigits(d, p) + 'e' + (d[1] - p)), magnitude(n));
    local r = $.rounded(d, if reads(15) then 15 else if reads(16) then 16 else 17);
    if std.length(exact[0]) <= 15 then exact else [r[0], r[1], n < 0],

  // A decimal written out: fixed-point while the exponent is in [-4, limit), else as
  // 1.5e-07 (two exponent digits at least), as C and Python do.
  spell(x, limit, wholeSuffix)::
    local digits = x[0];
    local point = std.length(digits) + x[1];
    local exponent = point - 1;
    local body =
      if std.primitiveEquals(digits, '0') then '0'
      else if exponent < -4 || exponent >= limit then
        digits[0] + (if std.length(digits) > 1 then '.' + std.substr(digits, 1, std.length(digits) - 1) else '')
        + 'e' + (if exponent < 0 then '-' else '+') + (if magnitude(exponent) < 10 then '0' else '') + magnitude(exponent)
      else if point <= 0 then '0.' + zeros(-point) + digits
      else if point >= std.length(digits) then digits + zeros(point - std.length(digits)) + wholeSuffix
      else std.substr(digits, 0, point) + '.' + std.substr(digits, point, std.length(digits) - point);
    (if x[2] then '-' else '') + body,

  // Python's repr of a float: the shortest decimal.
  shortest(n):: $.spell($.decimal(n), 16, '.0'),

  // Python's '%.<p>g' ('%g': p = 6): p significant digits, trailing zeros dropped. An exact
  // tie (150000.5 at six digits) rounds to the even neighbour, as C does.
  g(n, p=6)::
    local d = $.digits(n);
    local exact = $.decimal(n, d);
    local digits = exact[0];
    local k = -exact[1];
    local tie = std.primitiveEquals(std.length(digits), p + 1) && std.primitiveEquals(digits[p], '5')
                && (k <= 0 || std.primitiveEquals(std.modulo(std.parseJson(digits), std.pow(5, k)), 0));
    local head = std.substr(digits, 0, p);
    local r =
      if std.length(digits) <= p then exact  // as written
      else if tie then $.stripped([if std.primitiveEquals(std.modulo(std.codepoint(head[p - 1]), 2), 1) then $.increment(head) else head, exact[1] + 1, false])
      else $.rounded(d, p);
    $.spell([r[0], r[1], n < 0], p, ''),

  // A number as rule expressions spell it: whole numbers without a point.
  promNumber(n)::
    if std.primitiveEquals(n, std.floor(n)) && magnitude(n) < 1e15 then '' + n else $.shortest(n),

  // A number as written, as an exact fraction [numerator, denominator] (14.4 -> [144, 10]),
  // for arithmetic that rounds once. Past 15 digits jsonnet's integers are not exact: n itself.
  fraction(n)::
    local d = $.decimal(n);
    local whole = std.parseJson(d[0]);
    if std.length(d[0]) > 16 || whole > 9007199254740992 then [n, 1]
    else [(if d[2] then -1 else 1) * whole * std.pow(10, if d[1] > 0 then d[1] else 0), std.pow(10, if d[1] < 0 then -d[1] else 0)],

  // A level's threshold in base units, exactly: the written decimal times the unit's
  // factor, rounded once (so percent 99.9 is 0.999, not 0.9990000000000001).
  base(level, units=standardUnits)::
    local unit = units[level.unit];
    local f = $.fraction(level.threshold);
    (f[0] * unit.num) / (f[1] * unit.den),

  // A level's threshold as descriptions print it: 250 ms, 99.9%, 5 per hour, 3.
  quantity(level, units=standardUnits)::
    local symbol = units[level.unit].symbol;
    local number = $.g(level.threshold);
    if std.primitiveEquals(symbol, '') then number else if std.primitiveEquals(symbol, '%') then number + symbol else number + ' ' + symbol,

  // A Prometheus duration ('90s', '5m', '1h30m') in seconds.
  seconds(duration)::
    local size = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
    local n = std.length(duration);
    local read(i, number, total) =
      if i >= n then total
      else
        local digit = std.codepoint(duration[i]) - 48;
        if digit >= 0 && digit <= 9 then read(i + 1, number * 10 + digit, total)
        else if std.primitiveEquals(duration[i], 'm') && i + 1 < n && std.primitiveEquals(duration[i + 1], 's') then read(i + 2, 0, total + number / 1000)
        else read(i + 1, 0, total + number * size[duration[i]]);
    read(0, 0, 0),

  // A duration in words (obsgen.model.durations.human_duration): '5 minutes', '1 hour'; null is '0s'.
  words(duration)::
    local seconds = if std.primitiveEquals(duration, null) then 0 else $.seconds(duration);
    local fits = [u for u in [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]] if seconds >= u[1] && std.primitiveEquals(std.modulo(seconds, u[1]), 0)];
    if std.length(fits) < 1 then '0s'
    else local n = seconds / fits[0][1]; n + ' ' + fits[0][0] + (if std.primitiveEquals(n, 1) then '' else 's'),

  // The system's own units (bps, gaps/hour) beside obsgen's.
  unitsOf(config):: if std.objectHasEx(config, 'units', false) then standardUnits + config.units else standardUnits,

  // What an alert text's placeholders say at one level (obsgen.compile.rules.text_values):
  // the words follow the configuration, so an overridden threshold or `for` moves them too.
  // {direction} and {resolution} are not configuration: export fills them in.
  placeholders(tuning, level, units)::
    local each(severity) = if std.objectHasEx(tuning, severity, false) && !std.primitiveEquals(tuning[severity], null) then $.quantity(tuning[severity], units) else '';
    // Fields are locals: jsonnet evaluates an object's field on every access, a local once.
    local threshold = $.quantity(level, units);
    local warning = each('warning');
    local critical = each('critical');
    local words = $.words(tuning['for']);
    { threshold: threshold, priority: level.priority, warning: warning, critical: critical, 'for': words },

  // text with each {name} of values replaced (obsgen.model.texts.render).
  fill(text, values):: std.foldl(function(out, name) std.strReplace(out, '{' + name + '}', values[name]), std.objectFields(values), text),

  // One Prometheus alert: alert `name` at `severity`, its numbers from config, its text
  // from `about` (what the signal is and where its panel and runbook section are).
  alert(config, name, severity, about)::
    local tuning = config.alerts[name];
    local level = tuning[severity];
    local holds = tuning['for'];
    local units = $.unitsOf(config);
    local values = $.placeholders(tuning, level, units);
    {
      alert: name,
      expr: about.record + '{' + config.systemSelector + '} ' + about.operator + ' ' + $.promNumber($.base(level, units)),
      [if !std.primitiveEquals(holds, null) then 'for']: holds,
      [if std.objectHasEx(tuning, 'keep_firing_for', false) then 'keep_firing_for']: tuning.keep_firing_for,
      labels: {
        severity: severity,
        priority: level.priority,
        system: config.system,
        service: about.service,
        team: about.team,
      } + (if std.objectHas(about, 'labels') then about.labels else {}),
      annotations: {
        summary: $.fill(about.summary, values),
        description:
          if std.objectHas(about, 'description') then $.fill(about.description, values)
          else about.what + ': now ' + about.value + about.where + ', ' + about.direction + ' the ' + severity + ' threshold of ' + values.threshold + '.',
        runbook_url: if std.objectHas(about, 'runbook') then about.runbook else config.runbookBaseURL + 'handbook.md#' + about.anchor,
        dashboard_url: config.grafanaBaseURL + '/d/' + about.dashboard + '?viewPanel=' + about.panel,
      },
    },

  // One recording rule of the system's signals.
  record(config, record, expr):: { record: record, expr: expr, labels: { system: config.system } },

  // Where a line's colour starts on a panel (obsgen.compile.thresholds.panel_boundary):
  // Grafana colours a value with the highest step at or below it, so a line bad strictly
  // above N (or at or below N) steps at the next float above N.
  boundary(direction, value)::
    if std.primitiveEquals(direction, 'above') || std.primitiveEquals(direction, 'at or below') then $.nextUp(value) else value,

  // The next float above x (C's nextafter(x, inf)), from its binary exponent.
  nextUp(x)::
    if std.primitiveEquals(x, 0) then std.pow(2, -1074)
    else
      local e = std.exponent(x);  // |x| = m x 2^e with m in [0.5, 1)
      local below = x < 0 && std.primitiveEquals(magnitude(x), std.pow(2, e - 1));  // towards zero from -2^k the gap is half
      x + std.pow(2, e - (if below then 54 else 53)),

  // A panel's threshold lines, from the configuration (settings: see dashboard): each alert
  // level and check threshold the panel shows, as { direction, severity, threshold, unit }.
  // `also`: lines of alerts on the same signal, left out where one of the panel's own lines
  // says the same.
  resolve(settings, patch)::
    local line(ref) =
      local level = if std.objectHasEx(ref, 'alert', false) then settings.alerts[ref.alert][ref.severity] else settings.checks[ref.check][ref.severity];
      local threshold = level.threshold;
      local unit = level.unit;
      { direction: ref.direction, severity: ref.severity, threshold: threshold, unit: unit };
    local same(a, b) = std.primitiveEquals(a.direction, b.direction) && std.primitiveEquals(a.severity, b.severity)
                       && std.primitiveEquals(a.threshold, b.threshold) && std.primitiveEquals(a.unit, b.unit);
    local own = [line(ref) for ref in patch.lines];
    own + [l for l in [line(ref) for ref in patch.also] if std.length(std.filter(function(o) same(o, l), own)) < 1],

  // Whether a line's direction is bad above its threshold.
  above(direction):: std.primitiveEquals(direction, 'above') || std.primitiveEquals(direction, 'at or above'),

  // Numbers in ascending order, each once (std.set, whose sort is jsonnet, for a handful).
  ascending(values)::
    if std.length(values) < 1 then []
    else
      local least = std.foldl(function(least, v) if v < least then v else least, values, values[0]);
      [least] + $.ascending(std.filter(function(v) v > least, values)),

  // Grafana steps for a panel's lines (obsgen.compile.dashboards.threshold_steps): every line
  // is a step at its boundary, and each region takes the worst severity whose line it crosses.
  steps(lines, units)::
    local colours = { none: 'green', warning: 'orange', critical: 'red' };
    local rank = { none: 0, warning: 1, critical: 2 };
    // [bad when above, severity, boundary] per line
    local bounds = [[$.above(l.direction), l.severity, $.boundary(l.direction, $.base(l, units))] for l in lines];
    local values = $.ascending([b[2] for b in bounds]);
    local worst(v) = std.foldl(
      function(worst, b) if (if b[0] then v >= b[2] else v < b[2]) && rank[b[1]] > rank[worst] then b[1] else worst,
      bounds,
      'none'
    );
    if std.length(values) < 1 then [{ color: 'green', value: null }]
    else [{ color: colours[worst(values[0] - 1)], value: null }] + [{ color: colours[worst(v)], value: v } for v in values],

  // A panel description's threshold sentence: ' Thresholds: critical above 250 ms.'
  thresholdText(lines, units)::
    if std.length(lines) < 1 then ''
    else ' Thresholds: ' + std.join(', ', [l.severity + ' ' + l.direction + ' ' + $.quantity(l, units) for l in lines]) + '.',

  // A panel whose lines come from the configuration: its steps and the description naming
  // them (patches), and fields that follow the SLO numbers (overrides), by panel id.
  panel(settings, panel, patches, overrides)::
    local key = '' + panel.id;
    local own = if std.objectHasEx(overrides, key, false) then panel + overrides[key] else panel;
    if std.objectHasEx(own, 'panels', false) && std.length(own.panels) > 0 then own { panels: [$.panel(settings, p, patches, overrides) for p in own.panels] }
    else if !std.objectHasEx(patches, key, false) then own
    else
      local patch = patches[key];
      local lines = $.resolve(settings, patch);
      own {
        description: patch.before + $.thresholdText(lines, settings.units) + patch.after,
        fieldConfig+: { defaults+: { thresholds+: { steps: $.steps(lines, settings.units) } } },
      },

  // A generated dashboard, on the data source type the configuration names, with the
  // threshold steps of its panels from the configuration (see panel).
  dashboard(config, json, patches={}, overrides={})::
    local dashboard = std.parseJson(json);
    // What the panels read of the configuration, each evaluated once for the dashboard.
    local alerts = config.alerts;
    local checks = config.checks;
    local units = $.unitsOf(config);
    local settings = { alerts: alerts, checks: checks, units: units };
    dashboard {
      panels: [$.panel(settings, p, patches, overrides) for p in dashboard.panels],
      templating+: {
        list: [
          if std.primitiveEquals(variable.type, 'datasource') then variable { query: config.datasource } else variable
          for variable in dashboard.templating.list
        ],
      },
    },

  // -- SLOs ---------------------------------------------------------------------------------

  // An SLO's numbers from its configuration (obsgen.model.slo, obsgen.compile.slo_rules),
  // spelt as its rules, descriptions and panels spell them: the budget (1 - objective, exact)
  // and per tier the error ratio it fires at (factor x budget, on the rules' 1e-12 grid) and
  // the share of the budget it spends over its long window. about: the period and the
  // tiers' long windows in seconds.
  slo(config, about)::
    local objective = config.objective;
    local o = $.fraction(objective.threshold);
    local unit = standardUnits[objective.unit];
    local budget = [o[1] * unit.den - o[0] * unit.num, o[1] * unit.den];
    local share = budget[0] / budget[1];
    local grid = 1 / 1e-12;
    local factors = config.tiers;
    local tier(key) =
      local factor = factors[key];
      local f = $.fraction(factor);
      local ratio = std.floor((f[0] * budget[0]) / (f[1] * budget[1]) * grid + 0.5) / grid;
      local spend = (f[0] * about.long[key]) / (f[1] * about.period);
      local threshold = $.promNumber(ratio);
      local thresholdShare = $.g(ratio * 100, 4);
      local factorText = $.g(factor);
      local spendText = $.g(spend * 100, 4);
      { threshold: threshold, thresholdShare: thresholdShare, factor: factorText, spend: spendText };
    local keys = std.objectFields(factors);
    local tiers = [tier(key) for key in keys];  // array elements are evaluated once
    local ofKind(kind) = [factors[k] for k in keys if std.primitiveEquals(std.substr(k, 0, std.length(kind) + 1), kind + '-')];
    local least(values) = std.foldl(function(least, v) if least > v then v else least, values, values[0]);
    local pages = ofKind('page');
    local tickets = ofKind('ticket');
    local minFactor = (if std.length(pages) > 0 then { page: least(pages) } else {}) + (if std.length(tickets) > 0 then { ticket: least(tickets) } else {});
    local ratio = $.base(objective);
    local spelt = [$.g(objective.threshold), $.promNumber(ratio), $.promNumber(share), $.g(share * 100), $.g(share * 100, 4)];
    {
      objective: spelt[0],
      objectiveRatio: spelt[1],
      objectiveRatioValue: ratio,
      budget: spelt[2],
      budgetPercent: spelt[3],
      budgetShare: spelt[4],
      tiers: { [keys[i]]: tiers[i] for i in std.range(0, std.length(keys) - 1) },
      minFactor: minFactor,
    },

  // Threshold steps in value order, the base colour (value null) first, as obsgen writes them.
  sortedSteps(steps):: std.sort(steps, function(step) if std.primitiveEquals(step.value, null) then -1 else step.value),

  // Every SLO's numbers, by name.
  slos(config, about)::
    local names = std.objectFields(about);
    local slos = config.slos;
    local numbers = [$.slo(slos[name], about[name]) for name in names];
    { [names[i]]: numbers[i] for i in std.range(0, std.length(names) - 1) },
}
