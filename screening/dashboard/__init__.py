"""The exposure dashboard: how much of what we sell is controlled, by what, where it goes, how the
work flows, and what changes between two dates.

One module per section, each holding its query, its figures and its tables, all alike:

    products     products by their latest outcome (the rules in force)
    category     cases and expected value by category and automated outcome
    entry        … by control entry hit, with the measure's status today
    destination  … by destination country
    workflow     cases by state, the ageing of open cases, the cases to re-review
    workload     cases in review per reviewer, and the submitted ones not yet taken
    activity     screenings made and cases decided per week
    thresholds   the frozen spec values per parameter, with the catalogue's thresholds
    scenario     every case's spec screened as of two dates, and the list of what changes

Around them: filters.py (which cases: the filter form and set), theme.py (the plotly look every
figure shares, and how numbers are written), charts.py (Chart, Table, the bar figures),
section.py (what a section is given and gives back), report.py (runs the sections; the headline
numbers), page.py (the charts of a page, the headline figures, the CSV tables), cache.py (each
section's result cached per filter set, refreshed in the background) and views.py.

Adding a chart: copy the section module closest to it, change its query, figure and table, add
its SECTION to report.SECTIONS and its field(s) to report.Report; the page places its charts
(SECTION.place), the cache keeps its fields, and its CSV download is listed by itself.

The numbers are aggregates over all cases, whoever may open them (the page says so); the one
row-level table, the scenario's list of changes, lists only cases the viewer may open.
"""
