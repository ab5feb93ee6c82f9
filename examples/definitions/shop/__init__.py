"""A small, complete system to start from: one service, two alerts, one SLO, one check,
routing by priority, and a scenario that proves who is paged.

    obsgen generate --definitions examples/definitions --output /tmp/shop-generated
    obsgen test --definitions examples/definitions

Every value here shows up in the generated files: the thresholds in the alert rules, the
panel steps and the handbook; the priorities in the labels and the Alertmanager routes.
Definitions refer to each other as objects (a Level's priority, a Scenario's receivers),
and every number carries its unit, durations too.
"""

from obsgen import (
    ABOVE, SLO, Alert, Check, Fires, Holds, Level, PagerDuty, Priority, RatioSLI, Scenario, Service, Signal, Slack,
    System, hours, minutes, ms, percent, ratio, seconds,
)

# -- who is told, and how fast ---------------------------------------------------------------------

PAGERDUTY_PAYMENTS = PagerDuty(name="pagerduty-payments", service="payments on-call", routing_key_file="/etc/alertmanager/secrets/pd-payments")
SLACK_PAYMENTS = Slack(name="slack-payments", channel="#payments", api_url_file="/etc/alertmanager/secrets/slack")
P1 = Priority(name="P1", meaning="Customers cannot pay.", response_time=minutes(15), receivers=(PAGERDUTY_PAYMENTS, SLACK_PAYMENTS))
P2 = Priority(name="P2", meaning="Customers are slowed down.", response_time=hours(4), receivers=(SLACK_PAYMENTS,))

# -- what is measured: recorded once, read by alerts, panels and checks ------------------------------

CHECKOUT_P95 = Signal(
    record="service:checkout_latency_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(checkout_latency_seconds_bucket[5m])))",
    unit=seconds,
    description="Checkout latency p95",
)
CHECKOUT_ERRORS = Signal(
    record="service:checkout_errors:ratio_rate5m",
    expr='sum(rate(checkout_requests_total{code=~"5.."}[5m])) / sum(rate(checkout_requests_total[5m]))',
    unit=ratio,
    description="Share of checkouts answered with a server error",
)

# -- when someone is told: a warning and a critical level, each with its priority ----------------------

SLOW_CHECKOUT = Alert(
    name="CheckoutSlow",
    signal=CHECKOUT_P95,
    direction=ABOVE,
    warning=Level(ms(300), P2),
    critical=Level(ms(1000), P1),
    for_=minutes(5),
    summary="Checkout is slow.",
    meaning="Customers wait longer than usual to pay.",
    actions=("Check the payment provider's status page.", "Check the checkout service's CPU and database."),
    resolution=minutes(30),
)
FAILING_CHECKOUT = Alert(
    name="CheckoutErrors",
    signal=CHECKOUT_ERRORS,
    direction=ABOVE,
    critical=Level(percent(5), P1),
    for_=minutes(2),
    summary="Checkouts fail.",
    meaning="More than one checkout in twenty ends with a server error.",
    actions=("Read the checkout service logs.", "Roll back the last deployment if it is recent."),
)

CHECKOUT = Service(
    name="checkout",
    title="Checkout",
    team="payments",
    description="Takes the customer's payment.",
    alerts=(SLOW_CHECKOUT, FAILING_CHECKOUT),
)

# -- the objective: burn-rate alerts (the SRE workbook's tiers) from one line of intent ----------------

AVAILABILITY = SLO(
    name="checkout-availability",
    title="Checkout availability",
    description="Checkouts are answered without a server error.",
    service=CHECKOUT,
    sli=RatioSLI(total="checkout_requests_total", errors='checkout_requests_total{code=~"5.."}'),
    objective=percent(99.5),
    page_priority=P1,
    ticket_priority=P2,
    no_data_for=minutes(10),
    actions=("Find which payment method fails first.",),
)

SYSTEM = System(
    name="shop",
    title="Example Shop",
    description="A web shop's checkout: the example in obsgen's README.",
    services=(CHECKOUT,),
    slos=(AVAILABILITY,),
    checks=(
        Check(title="Checkout latency", alert=SLOW_CHECKOUT, frequency=minutes(15), good="p95 around 120 ms", action="See CheckoutSlow"),
    ),
    receivers=(PAGERDUTY_PAYMENTS, SLACK_PAYMENTS),
    default_receiver=SLACK_PAYMENTS,
    priorities=(P1, P2),
    scenarios=(
        Scenario(
            name="payment-provider-slow",
            situation="Checkout p95 at 1.5 s for 10 minutes",
            holds=(Holds(CHECKOUT_P95, ms(1500)),),
            lasting=minutes(10),
            fires=(Fires(SLOW_CHECKOUT, P2), Fires(SLOW_CHECKOUT, P1)),
            reaches=(PAGERDUTY_PAYMENTS, SLACK_PAYMENTS),
            pages=True,
        ),
        Scenario(
            name="checkout-a-little-slow",
            situation="Checkout p95 at 400 ms for 10 minutes",
            holds=(Holds(CHECKOUT_P95, ms(400)),),
            lasting=minutes(10),
            fires=(Fires(SLOW_CHECKOUT, P2),),
            reaches=(SLACK_PAYMENTS,),
            pages=False,
        ),
    ),
    # Where the handbook is published and Grafana serves: every runbook_url and dashboard_url is absolute
    runbook_base_url="https://runbooks.shop.example.com/shop/",
    grafana_base_url="https://grafana.shop.example.com",
)
