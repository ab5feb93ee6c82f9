// Helpers of the mixins obsgen exports: numbers, units and alerts written exactly as
// obsgen writes them, so the default configuration reproduces generated/ and an override
// of a threshold moves the expression and the description together.
{
  // Every unit a threshold can be written in (obsgen.model.units): what descriptions
  // print after the number, and the exact factor to Prometheus's base unit (num / den).
  units:: {
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
  },

  // Numbers are spelt from their decimal digits, not with std.format, whose arithmetic is
  // inexact past 15 digits. digits(n): |n| = 0.<digits> x 10^point, as C's %.17g gives them.
  digits(n)::
    local parts = std.split(std.toString(std.abs(n)), 'e');
    local mantissa = std.split(parts[0], '.');
    local all = mantissa[0] + (if std.length(mantissa) > 1 then mantissa[1] else '');
    local zeros = std.length(all) - std.length(std.lstripChars(all, '0'));
    local power = if std.length(parts) > 1 then std.parseInt(std.strReplace(parts[1], '+', '')) else 0;
    { digits: std.lstripChars(all, '0'), point: std.length(mantissa[0]) + power - zeros },

  // Digits d (of $.digits) rounded to p significant digits: { integer, power } with
  // |n| ~ integer x 10^power.
  rounded(d, p)::
    local head = std.parseInt(std.substr(d.digits + std.repeat('0', p), 0, p));
    local up = std.length(d.digits) > p && std.codepoint(d.digits[p]) >= std.codepoint('5');
    local integer = head + (if up then 1 else 0);
    if integer == std.pow(10, p) then { integer: integer / 10, power: d.point - p + 1 }
    else { integer: integer, power: d.point - p },

  // n as its shortest decimal that reads back as n (Python's repr, Go's 'g' -1):
  // { integer, power } with n = integer x 10^power exactly as written, e.g. 99.9 -> 999, -1.
  decimal(n)::
    local strip(x) = if x.integer != 0 && x.integer % 10 == 0 then strip({ integer: x.integer / 10, power: x.power + 1 }) else x;
    local d = $.digits(n);
    local try(p) =
      local r = $.rounded(d, p);
      if p >= 17 || std.parseJson(std.toString(r.integer) + 'e' + r.power) == std.abs(n) then r else try(p + 1);
    local r = if n == 0 then { integer: 0, power: 0 } else strip(try(1));
    { integer: if n < 0 then -r.integer else r.integer, power: r.power },

  // A decimal { integer, power } written out: fixed-point while the exponent is in
  // [-4, limit), else as 1.5e-07 (two exponent digits at least), as C and Python do.
  spell(x, limit, wholeSuffix)::
    local sign = if x.integer < 0 then '-' else '';
    local digits = std.toString(std.abs(x.integer));
    local point = std.length(digits) + x.power;
    local exponent = point - 1;
    local body =
      if x.integer == 0 then '0'
      else if exponent < -4 || exponent >= limit then
        digits[0] + (if std.length(digits) > 1 then '.' + std.substr(digits, 1, std.length(digits) - 1) else '')
        + 'e' + (if exponent < 0 then '-' else '+') + (if std.abs(exponent) < 10 then '0' else '') + std.abs(exponent)
      else if point <= 0 then '0.' + std.repeat('0', -point) + digits
      else if point >= std.length(digits) then digits + std.repeat('0', point - std.length(digits)) + wholeSuffix
      else std.substr(digits, 0, point) + '.' + std.substr(digits, point, std.length(digits) - point);
    sign + body,

  // Python's repr of a float: the shortest decimal.
  shortest(n):: $.spell($.decimal(n), 16, '.0'),

  // Python's '%g': six significant digits, trailing zeros dropped.
  g(n)::
    local strip(x) = if x.integer != 0 && x.integer % 10 == 0 then strip({ integer: x.integer / 10, power: x.power + 1 }) else x;
    local r = if n == 0 then { integer: 0, power: 0 } else strip($.rounded($.digits(n), 6));
    $.spell({ integer: if n < 0 then -r.integer else r.integer, power: r.power }, 6, ''),

  // A number as rule expressions spell it: whole numbers without a point.
  promNumber(n)::
    if n == std.floor(n) && std.abs(n) < 1e15 then std.toString(n) else $.shortest(n),

  // A level's threshold in base units, exactly: the written decimal times the unit's
  // factor, rounded once (so percent 99.9 is 0.999, not 0.9990000000000001).
  base(level, units=$.units)::
    local unit = units[level.unit];
    local d = $.decimal(level.threshold);
    (d.integer * unit.num * std.pow(10, std.max(d.power, 0))) / (unit.den * std.pow(10, std.max(-d.power, 0))),

  // A level's threshold as descriptions print it: 250 ms, 99.9%, 5 per hour, 3.
  quantity(level, units=$.units)::
    local symbol = units[level.unit].symbol;
    local number = $.g(level.threshold);
    if symbol == '' then number else if symbol == '%' then number + symbol else number + ' ' + symbol,

  // One Prometheus alert: alert `name` at `severity`, its numbers from config, its text
  // from `about` (what the signal is and where its panel and runbook section are).
  alert(config, name, severity, about)::
    local tuning = config.alerts[name];
    local level = tuning[severity];
    // The system's own units (bps, gaps/hour) beside obsgen's.
    local units = $.units + (if std.objectHas(config, 'units') then config.units else {});
    {
      alert: name,
      expr: '%s{%s} %s %s' % [about.record, config.systemSelector, about.operator, $.promNumber($.base(level, units))],
      [if tuning['for'] != null then 'for']: tuning['for'],
      [if std.objectHas(tuning, 'keep_firing_for') then 'keep_firing_for']: tuning.keep_firing_for,
      labels: {
        severity: severity,
        priority: level.priority,
        system: config.system,
        service: about.service,
        team: about.team,
      },
      annotations: {
        summary: $.fill(about.summary, level, units),
        description:
          if std.objectHas(about, 'description') then $.fill(about.description, level, units)
          else '%s: now %s%s, %s the %s threshold of %s.' % [about.what, about.value, about.where, about.direction, severity, $.quantity(level, units)],
        runbook_url: config.runbookBaseURL + 'handbook.md#' + about.anchor,
        dashboard_url: '%s/d/%s?viewPanel=%d' % [config.grafanaBaseURL, about.dashboard, about.panel],
      },
    },

  // An alert text's {threshold} and {priority}, from the level (obsgen.model.texts).
  fill(text, level, units=$.units):: std.strReplace(std.strReplace(text, '{threshold}', $.quantity(level, units)), '{priority}', level.priority),

  // One recording rule of the system's signals.
  record(config, record, expr):: { record: record, expr: expr, labels: { system: config.system } },

  // A generated dashboard, on the data source type the configuration names.
  dashboard(config, json)::
    local dashboard = std.parseJson(json);
    dashboard {
      templating+: {
        list: [
          if variable.type == 'datasource' then variable { query: config.datasource } else variable
          for variable in dashboard.templating.list
        ],
      },
    },
}
