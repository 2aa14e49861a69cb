"""Host audience: how much of a mission's audience is in the country it is accredited to."""

from metrics.kpi import KPI, register

# The followers an account's geography is weighed by: those of the accounts whose mission has a
# host country and whose geography and follower total are both known (each account once).
_WEIGHTS = "sum(followers_end) FILTER (WHERE account_row AND host_country IS NOT NULL AND followers_end > 0)"

register(
    KPI(
        name="host_audience_share",
        family="host_audience",
        unit="ratio",
        higher_is_better=True,
        description_en=(
            "Host-country audience share: the share of the followers who are in the mission's "
            "host country, from each account's latest follower geography on or before the end "
            "date, weighted by the account's followers at the end date. Unknown for missions to "
            "international organisations (no host country) and for accounts without geography."
        ),
        formula=(
            "Σ over accounts with a follower geography and followers_end > 0 of followers_end × "
            "share in the host country / Σ of their followers_end; share = the export's share, "
            "or the country's count / the sum of the listed countries' counts; a host country "
            "not listed counts 0"
        ),
        source="geography",
        sql=(
            "coalesce(sum(followers_end * share) FILTER (WHERE is_host AND followers_end > 0), 0)"
            f" / nullif({_WEIGHTS}, 0)"
        ),
        order=145,
    ),
)
