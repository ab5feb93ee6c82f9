"""The runbook's incident procedures, step by step, as alert actions (seeds/003)."""

PSQL = "kubectl exec -it -n production statefulset/trading-engine-postgresql-0 -- psql -U trading -d trading_engine -c"

NOTIFY = "Emergency notification: post to the #incidents Slack channel and page the on-call engineer."

# "P0: Complete Service Outage" -> Immediate Actions 1-5, then Root Cause Investigation.
OUTAGE = (
    "Check service status: `kubectl get pods -n production`, `kubectl get services -n production`, "
    "`kubectl get ingress -n production`.",
    "Check recent deployments: `helm history trading-engine -n production`.",
    "If a deployment was recent, roll back: `helm rollback trading-engine -n production`.",
    "Check infrastructure: `kubectl get nodes`, `kubectl top nodes`.",
    "Check the database: `kubectl logs -n production statefulset/trading-engine-postgresql --tail=100`.",
    NOTIFY,
    "Root cause: application logs `kubectl logs -n production deployment/trading-engine-api --tail=500`; "
    "database logs `kubectl logs -n production statefulset/trading-engine-postgresql --tail=500`; "
    "ingress logs `kubectl logs -n ingress-nginx deployment/ingress-nginx-controller --tail=500`; "
    "events `kubectl get events -n production --sort-by='.lastTimestamp'`.",
)

ROLLBACK_AFTER_DEPLOY = (
    "If a deployment went out in the last 30 minutes (the runbook watches error rates, latency and "
    "throughput for 30 minutes after each), roll back: `helm rollback trading-engine -n production`."
)

# "P1: High Error Rate" -> Diagnostic Steps 1-4 and Mitigation.
HIGH_ERROR_RATE = (
    "Check error logs: `kubectl logs -n production deployment/trading-engine-api --tail=1000 | grep -i error`.",
    "Check metrics: `curl https://api.trading-engine.com/metrics | grep http_requests`.",
    f"Database performance: `{PSQL} \"SELECT * FROM pg_stat_activity WHERE state = 'active';\"`.",
    f"Check slow queries: `{PSQL} \"SELECT query, mean_exec_time FROM pg_stat_statements "
    "ORDER BY mean_exec_time DESC LIMIT 10;\"`.",
    ROLLBACK_AFTER_DEPLOY,
    "Mitigate: scale up API pods `kubectl scale deployment trading-engine-api -n production --replicas=10`.",
    "Mitigate: restart problematic pods `kubectl rollout restart deployment/trading-engine-api -n production`.",
    "Mitigate: clear Redis if the cache is stale "
    "`kubectl exec -it -n production statefulset/trading-engine-redis-0 -- redis-cli FLUSHALL`.",
)

# "P1: Database Performance Issues" -> Diagnostic Steps and Mitigation.
DB_PERFORMANCE = (
    f"Check active connections: `{PSQL} \"SELECT count(*) FROM pg_stat_activity;\"`.",
    f"Check locks: `{PSQL} \"SELECT * FROM pg_locks WHERE granted = false;\"`.",
    f"Check slow queries: `{PSQL} \"SELECT pid, now() - pg_stat_activity.query_start AS duration, query "
    "FROM pg_stat_activity WHERE state = 'active' ORDER BY duration DESC;\"`.",
    f"Kill queries active for more than 5 minutes (carefully!): `{PSQL} \"SELECT pg_terminate_backend(pid) "
    "FROM pg_stat_activity WHERE state = 'active' AND now() - query_start > interval '5 minutes';\"`.",
    f"Vacuum analyze: `{PSQL} \"VACUUM ANALYZE;\"`.",
    "Temporarily give the database more CPU: `helm upgrade trading-engine ./deployments/helm/trading-engine "
    "--namespace production --set postgresql.primary.resources.limits.cpu=4000m`.",
)

# "P1: Memory Leak" -> Diagnostic Steps and Mitigation.
MEMORY_LEAK = (
    "Check memory usage: `kubectl top pods -n production`.",
    "Check pod restarts: `kubectl get pods -n production -o jsonpath='{range .items[*]}{.metadata.name}"
    "{\"\\t\"}{.status.containerStatuses[0].restartCount}{\"\\n\"}{end}'`.",
    "Get a heap dump (Go): `kubectl exec -it -n production <pod-name> -- "
    "curl http://localhost:6060/debug/pprof/heap > heap.prof`.",
    "Increase memory limits: `helm upgrade trading-engine ./deployments/helm/trading-engine "
    "--namespace production --set api.resources.limits.memory=4Gi`.",
    "Enable memory profiling: `kubectl set env deployment/trading-engine-api -n production GODEBUG=gctrace=1`.",
    "Restart affected pods: `kubectl rollout restart deployment/trading-engine-api -n production`.",
)

# "P0: Security Breach" -> Immediate Actions 1-6.
SECURITY_BREACH = (
    "ISOLATE - block external traffic: `kubectl patch ingress trading-engine-ingress -n production -p "
    "'{\"metadata\":{\"annotations\":{\"nginx.ingress.kubernetes.io/whitelist-source-range\":\"10.0.0.0/8\"}}}'`.",
    "ASSESS - check logs: `kubectl logs -n production deployment/trading-engine-api --since=1h | "
    "grep -E \"401|403|suspicious\"`.",
    "PRESERVE - export logs: `kubectl logs -n production deployment/trading-engine-api --all-containers=true "
    "> incident-logs-$(date +%Y%m%d-%H%M%S).log`.",
    "NOTIFY the security team (security@trading-engine.com, 24/7), management, and legal if data was breached.",
    "ROTATE SECRETS: delete and recreate `trading-engine-secrets` in production with new values "
    "(jwt-secret and all other secrets).",
    "Force a pod restart: `kubectl rollout restart deployment/trading-engine-api -n production`.",
)

# "Scaling Operations: Scale Up (Anticipated Load)".
SCALE_UP = (
    "Increase API replicas: `kubectl scale deployment trading-engine-api -n production --replicas=20`.",
    "Increase WebSocket replicas: `kubectl scale deployment trading-engine-websocket -n production --replicas=30`.",
    "Watch the autoscalers: `watch kubectl get hpa -n production` (HPA overrides manual scaling; "
    "raise its min replicas with helm, e.g. `--set api.autoscaling.minReplicas=...`).",
)
