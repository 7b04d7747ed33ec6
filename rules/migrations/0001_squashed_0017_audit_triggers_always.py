"""The rules app's migrations 0001 to 0017 in one: the tables as they are now, the role groups,
and the audit's append-only triggers (ENABLE ALWAYS on PostgreSQL).

A new database runs this one alone, which takes a fraction of the time the seventeen took
(Django re-derived every model's state for each of their fifty-odd field changes). A database that
ran all seventeen has it recorded as applied and runs nothing; one that ran some of them runs
the rest of those. Their data migrations only moved data that a new database does not have.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The role groups (rules.access; their admin permissions are granted after migrating, by
# rules.apps, as permissions only exist once all migrations have run).
ROLES = ("compliance_analyst", "reviewer", "rules_administrator")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


# The database itself refuses to change or delete audit events. On PostgreSQL the triggers fire
# whatever session_replication_role says (ENABLE ALWAYS): an import's COPYs run at "replica"
# (screening.references), and no session may skip the audit's guard with it.
SQLITE = [
    """CREATE TRIGGER rules_auditevent_no_update BEFORE UPDATE ON rules_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER rules_auditevent_no_delete BEFORE DELETE ON rules_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS rules_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS rules_auditevent_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION rules_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER rules_auditevent_no_change BEFORE UPDATE OR DELETE ON rules_auditevent
       FOR EACH ROW EXECUTE FUNCTION rules_auditevent_refuse();""",
    """CREATE TRIGGER rules_auditevent_no_truncate BEFORE TRUNCATE ON rules_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION rules_auditevent_refuse();""",
    "ALTER TABLE rules_auditevent ENABLE ALWAYS TRIGGER rules_auditevent_no_change",
    "ALTER TABLE rules_auditevent ENABLE ALWAYS TRIGGER rules_auditevent_no_truncate",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS rules_auditevent_no_change ON rules_auditevent;",
    "DROP TRIGGER IF EXISTS rules_auditevent_no_truncate ON rules_auditevent;",
    "DROP FUNCTION IF EXISTS rules_auditevent_refuse();",
]


def audit_append_only(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def audit_changeable(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)



class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('rules', '0001_initial'),
        ('rules', '0002_roles'),
        ('rules', '0003_audit'),
        ('rules', '0004_audit_append_only'),
        ('rules', '0005_references_and_confirmations'),
        ('rules', '0006_code_confirmed_cell_type'),
        ('rules', '0007_audit_time_outcome_labels'),
        ('rules', '0008_api_tokens'),
        ('rules', '0008_references_belong_to_rule_sets'),
        ('rules', '0009_references_copied_into_rule_sets'),
        ('rules', '0010_reference_rule_set_required'),
        ('rules', '0011_publishing_record'),
        ('rules', '0012_merge_0008_api_tokens_0011_publishing_record'),
        ('rules', '0013_verbose_names'),
        ('rules', '0014_profiles'),
        ('rules', '0015_rule_words_in_chinese'),
        ('rules', '0016_audit_chain_head_verbose_names'),
        ('rules', '0017_audit_triggers_always'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(default=0, verbose_name='last sequence number')),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64, verbose_name='last hash')),
            ],
            options={
                'verbose_name': 'audit chain head',
                'verbose_name_plural': 'audit chain heads',
            },
        ),
        migrations.CreateModel(
            name='Entry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('code', models.CharField(max_length=40, verbose_name='code')),
                ('title_zh', models.CharField(max_length=300, verbose_name='title (Chinese)')),
                ('title_en', models.CharField(max_length=400, verbose_name='title (English)')),
                ('hs_codes', models.JSONField(blank=True, default=list, verbose_name='reference HS codes')),
                ('level', models.CharField(choices=[('V1', 'V1'), ('V2', 'V2'), ('UNVERIFIED', 'UNVERIFIED')], max_length=12, verbose_name='verification level')),
                ('level_note', models.TextField(blank=True, verbose_name='level note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('level_note_zh', models.TextField(blank=True, verbose_name='level note (Chinese)')),
                ('source_zh', models.TextField(blank=True, verbose_name='source (Chinese)')),
                ('criteria_confirmed', models.BooleanField(default=True, help_text='Untick when the item is known but what it covers could not be confirmed: screening then reports it as unknown for a reviewer to decide.', verbose_name='criteria confirmed')),
                ('code_confirmed', models.BooleanField(default=False, help_text='Tick only when this control code was read in the official text or in copies of it. A customs remark (属于两用物项，管制编码：…) never carries an unconfirmed code: the result says which code to confirm instead.', verbose_name='code confirmed')),
            ],
            options={
                'verbose_name': 'entry',
                'verbose_name_plural': 'entries',
                'ordering': ['measure', 'position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Measure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('key', models.CharField(max_length=40, verbose_name='key')),
                ('regime', models.CharField(default='CN', max_length=10, verbose_name='regime')),
                ('kind', models.CharField(choices=[('control_list', 'control_list'), ('technology_catalogue', 'technology_catalogue'), ('suspension', 'suspension'), ('overlay', 'overlay')], default='control_list', max_length=24, verbose_name='kind')),
                ('instrument_zh', models.CharField(max_length=200, verbose_name='instrument (Chinese)')),
                ('instrument_en', models.CharField(max_length=200, verbose_name='instrument (English)')),
                ('title_zh', models.CharField(blank=True, max_length=300, verbose_name='title (Chinese)')),
                ('title_en', models.CharField(blank=True, max_length=400, verbose_name='title (English)')),
                ('published', models.DateField(verbose_name='published')),
                ('effective', models.DateField(verbose_name='effective')),
                ('level', models.CharField(choices=[('V1', 'V1'), ('V2', 'V2'), ('UNVERIFIED', 'UNVERIFIED')], max_length=12, verbose_name='verification level')),
                ('level_note', models.TextField(blank=True, verbose_name='level note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('source_url', models.URLField(blank=True, max_length=500, verbose_name='source URL')),
                ('level_note_zh', models.TextField(blank=True, verbose_name='level note (Chinese)')),
                ('source_zh', models.TextField(blank=True, verbose_name='source (Chinese)')),
                ('licence_kind', models.CharField(choices=[('dual_use', 'dual_use'), ('technology', 'technology'), ('none', 'none')], max_length=12, verbose_name='licence kind')),
                ('overlay_destinations', models.JSONField(blank=True, default=list, help_text='ISO country codes', verbose_name='overlay destinations')),
                ('overlay_on_measures', models.JSONField(blank=True, default=list, verbose_name='overlay applies to measures')),
                ('overlay_advice_en', models.TextField(blank=True, verbose_name='overlay advice (English)')),
                ('overlay_advice_zh', models.TextField(blank=True, verbose_name='overlay advice (Chinese)')),
            ],
            options={
                'verbose_name': 'measure',
                'verbose_name_plural': 'measures',
                'ordering': ['rule_set', 'position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ReferenceProduct',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('cells', models.JSONField(help_text='Template columns and cell texts, e.g. {"category": "battery_cell", "subtype": "li_ion", "energy_density_wh_per_kg": "310"}.', verbose_name='spec cells')),
                ('note', models.TextField(blank=True, verbose_name='why it matters')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'reference product',
                'verbose_name_plural': 'reference products',
                'ordering': ['rule_set', 'name'],
            },
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.SlugField(help_text='Says which program uses it, e.g. sap-erp. Recorded with every call.', max_length=60, unique=True, verbose_name='name')),
                ('role', models.CharField(choices=[('compliance_analyst', 'Compliance analyst'), ('reviewer', 'Reviewer (manager)'), ('rules_administrator', 'Rules administrator')], help_text="The token has this role's rights, as far as its scopes allow.", max_length=40, verbose_name='role')),
                ('scopes', models.JSONField(default=list, verbose_name='scopes')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('prefix', models.CharField(editable=False, max_length=16, verbose_name='starts with')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True, verbose_name='SHA-256 of the token')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked')),
                ('last_used_at', models.DateTimeField(editable=False, null=True, verbose_name='last used')),
                ('window_start', models.DateTimeField(editable=False, null=True, verbose_name='rate window start')),
                ('window_calls', models.PositiveIntegerField(default=0, editable=False, verbose_name='calls in the rate window')),
                ('created_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('revoked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ('user', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='api_token', to=settings.AUTH_USER_MODEL, verbose_name='service account')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Criterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('parameter', models.CharField(choices=[('energy_density_wh_per_kg', 'energy_density_wh_per_kg (Wh/kg)'), ('nominal_voltage_v', 'nominal_voltage_v (V)'), ('capacity_ah', 'capacity_ah (Ah)'), ('mass_kg', 'mass_kg (kg)'), ('compaction_density_g_per_cm3', 'compaction_density_g_per_cm3 (g/cm³)'), ('compaction_pressure_mpa', 'compaction_pressure_mpa (MPa)'), ('specific_capacity_mah_per_g', 'specific_capacity_mah_per_g (mAh/g)'), ('discharge_rate_c', 'discharge_rate_c (C)'), ('first_cycle_efficiency_pct', 'first_cycle_efficiency_pct (%)'), ('average_voltage_v', 'average_voltage_v (V)'), ('tap_density_g_per_cm3', 'tap_density_g_per_cm3 (g/cm³)'), ('purity_pct', 'purity_pct (%)'), ('flexural_strength_mpa', 'flexural_strength_mpa (MPa)'), ('density_g_per_cm3', 'density_g_per_cm3 (g/cm³)'), ('granulation_volume_m3', 'granulation_volume_m3 (m³)'), ('energy_density_test_temperature_c', 'energy_density_test_temperature_c (°C)')], max_length=40, verbose_name='parameter')),
                ('operator', models.CharField(choices=[('>=', '>='), ('>', '>'), ('<=', '<='), ('<', '<')], max_length=2, verbose_name='operator')),
                ('threshold', models.FloatField(verbose_name='threshold')),
                ('unit', models.CharField(max_length=20, verbose_name='unit')),
                ('condition_parameter', models.CharField(blank=True, choices=[('energy_density_wh_per_kg', 'energy_density_wh_per_kg (Wh/kg)'), ('nominal_voltage_v', 'nominal_voltage_v (V)'), ('capacity_ah', 'capacity_ah (Ah)'), ('mass_kg', 'mass_kg (kg)'), ('compaction_density_g_per_cm3', 'compaction_density_g_per_cm3 (g/cm³)'), ('compaction_pressure_mpa', 'compaction_pressure_mpa (MPa)'), ('specific_capacity_mah_per_g', 'specific_capacity_mah_per_g (mAh/g)'), ('discharge_rate_c', 'discharge_rate_c (C)'), ('first_cycle_efficiency_pct', 'first_cycle_efficiency_pct (%)'), ('average_voltage_v', 'average_voltage_v (V)'), ('tap_density_g_per_cm3', 'tap_density_g_per_cm3 (g/cm³)'), ('purity_pct', 'purity_pct (%)'), ('flexural_strength_mpa', 'flexural_strength_mpa (MPa)'), ('density_g_per_cm3', 'density_g_per_cm3 (g/cm³)'), ('granulation_volume_m3', 'granulation_volume_m3 (m³)'), ('energy_density_test_temperature_c', 'energy_density_test_temperature_c (°C)')], max_length=40, verbose_name='test condition parameter')),
                ('condition_value', models.FloatField(blank=True, null=True, verbose_name='test condition value')),
                ('condition_unit', models.CharField(blank=True, max_length=20, verbose_name='test condition unit')),
                ('condition_tolerance_pct', models.FloatField(default=0.0, verbose_name='test condition tolerance (%)')),
                ('verified', models.BooleanField(default=True, verbose_name='verified')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('note_zh', models.TextField(blank=True, verbose_name='note (Chinese)')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='rules.entry', verbose_name='entry')),
            ],
            options={
                'verbose_name': 'criterion',
                'verbose_name_plural': 'criteria',
                'ordering': ['entry', 'position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='EntryScope',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(choices=[('battery_cell', 'battery_cell'), ('battery_pack', 'battery_pack'), ('cathode_material', 'cathode_material'), ('cathode_precursor', 'cathode_precursor'), ('anode_material', 'anode_material'), ('graphite_material', 'graphite_material'), ('equipment', 'equipment'), ('technology', 'technology')], max_length=30, verbose_name='category')),
                ('subtype', models.CharField(blank=True, choices=[('', 'any subtype'), ('li_ion', 'li_ion'), ('li_metal', 'li_metal'), ('sodium_ion', 'sodium_ion'), ('other', 'other'), ('lfp', 'lfp'), ('lmfp', 'lmfp'), ('ncm', 'ncm'), ('nca', 'nca'), ('lco', 'lco'), ('lmo', 'lmo'), ('li_rich_mn', 'li_rich_mn'), ('ncm_hydroxide', 'ncm_hydroxide'), ('nca_hydroxide', 'nca_hydroxide'), ('iron_phosphate', 'iron_phosphate'), ('artificial_graphite', 'artificial_graphite'), ('natural_graphite', 'natural_graphite'), ('blended_graphite', 'blended_graphite'), ('silicon_carbon', 'silicon_carbon'), ('hard_carbon', 'hard_carbon'), ('synthetic_graphite', 'synthetic_graphite'), ('natural_flake_graphite', 'natural_flake_graphite'), ('spherical_graphite', 'spherical_graphite'), ('expanded_graphite', 'expanded_graphite'), ('winding_machine', 'winding_machine'), ('stacking_machine', 'stacking_machine'), ('electrolyte_filling_machine', 'electrolyte_filling_machine'), ('hot_press', 'hot_press'), ('formation_grading_system', 'formation_grading_system'), ('grading_cabinet', 'grading_cabinet'), ('roller_kiln', 'roller_kiln'), ('high_speed_mixer', 'high_speed_mixer'), ('sand_mill', 'sand_mill'), ('jet_mill', 'jet_mill'), ('granulation_kettle_vertical', 'granulation_kettle_vertical'), ('granulation_kettle_continuous', 'granulation_kettle_continuous'), ('graphitization_furnace_box', 'graphitization_furnace_box'), ('graphitization_furnace_acheson', 'graphitization_furnace_acheson'), ('coating_modification_equipment', 'coating_modification_equipment'), ('battery_production', 'battery_production'), ('lfp_preparation', 'lfp_preparation'), ('lmfp_preparation', 'lmfp_preparation'), ('phosphate_precursor_preparation', 'phosphate_precursor_preparation'), ('graphite_anode_process', 'graphite_anode_process'), ('lithium_extraction', 'lithium_extraction')], max_length=40, verbose_name='subtype')),
                ('cell_type', models.CharField(blank=True, choices=[('', 'any cell type'), ('primary', 'primary'), ('secondary', 'secondary')], max_length=12, verbose_name='cell type')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scopes', to='rules.entry', verbose_name='entry')),
            ],
            options={
                'verbose_name': 'applies to',
                'verbose_name_plural': 'applies to',
                'ordering': ['entry', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCriterion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('parameter', models.CharField(choices=[('energy_density_wh_per_kg', 'energy_density_wh_per_kg (Wh/kg)'), ('nominal_voltage_v', 'nominal_voltage_v (V)'), ('capacity_ah', 'capacity_ah (Ah)'), ('mass_kg', 'mass_kg (kg)'), ('compaction_density_g_per_cm3', 'compaction_density_g_per_cm3 (g/cm³)'), ('compaction_pressure_mpa', 'compaction_pressure_mpa (MPa)'), ('specific_capacity_mah_per_g', 'specific_capacity_mah_per_g (mAh/g)'), ('discharge_rate_c', 'discharge_rate_c (C)'), ('first_cycle_efficiency_pct', 'first_cycle_efficiency_pct (%)'), ('average_voltage_v', 'average_voltage_v (V)'), ('tap_density_g_per_cm3', 'tap_density_g_per_cm3 (g/cm³)'), ('purity_pct', 'purity_pct (%)'), ('flexural_strength_mpa', 'flexural_strength_mpa (MPa)'), ('density_g_per_cm3', 'density_g_per_cm3 (g/cm³)'), ('granulation_volume_m3', 'granulation_volume_m3 (m³)'), ('energy_density_test_temperature_c', 'energy_density_test_temperature_c (°C)')], max_length=40, verbose_name='parameter')),
                ('operator', models.CharField(choices=[('>=', '>='), ('>', '>'), ('<=', '<='), ('<', '<')], max_length=2, verbose_name='operator')),
                ('threshold', models.FloatField(verbose_name='threshold')),
                ('unit', models.CharField(max_length=20, verbose_name='unit')),
                ('condition_parameter', models.CharField(blank=True, choices=[('energy_density_wh_per_kg', 'energy_density_wh_per_kg (Wh/kg)'), ('nominal_voltage_v', 'nominal_voltage_v (V)'), ('capacity_ah', 'capacity_ah (Ah)'), ('mass_kg', 'mass_kg (kg)'), ('compaction_density_g_per_cm3', 'compaction_density_g_per_cm3 (g/cm³)'), ('compaction_pressure_mpa', 'compaction_pressure_mpa (MPa)'), ('specific_capacity_mah_per_g', 'specific_capacity_mah_per_g (mAh/g)'), ('discharge_rate_c', 'discharge_rate_c (C)'), ('first_cycle_efficiency_pct', 'first_cycle_efficiency_pct (%)'), ('average_voltage_v', 'average_voltage_v (V)'), ('tap_density_g_per_cm3', 'tap_density_g_per_cm3 (g/cm³)'), ('purity_pct', 'purity_pct (%)'), ('flexural_strength_mpa', 'flexural_strength_mpa (MPa)'), ('density_g_per_cm3', 'density_g_per_cm3 (g/cm³)'), ('granulation_volume_m3', 'granulation_volume_m3 (m³)'), ('energy_density_test_temperature_c', 'energy_density_test_temperature_c (°C)')], max_length=40, verbose_name='test condition parameter')),
                ('condition_value', models.FloatField(blank=True, null=True, verbose_name='test condition value')),
                ('condition_unit', models.CharField(blank=True, max_length=20, verbose_name='test condition unit')),
                ('condition_tolerance_pct', models.FloatField(default=0.0, verbose_name='test condition tolerance (%)')),
                ('verified', models.BooleanField(default=True, verbose_name='verified')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('note_zh', models.TextField(blank=True, verbose_name='note (Chinese)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('entry', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.entry', verbose_name='entry')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical criterion',
                'verbose_name_plural': 'historical criteria',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEntryScope',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('category', models.CharField(choices=[('battery_cell', 'battery_cell'), ('battery_pack', 'battery_pack'), ('cathode_material', 'cathode_material'), ('cathode_precursor', 'cathode_precursor'), ('anode_material', 'anode_material'), ('graphite_material', 'graphite_material'), ('equipment', 'equipment'), ('technology', 'technology')], max_length=30, verbose_name='category')),
                ('subtype', models.CharField(blank=True, choices=[('', 'any subtype'), ('li_ion', 'li_ion'), ('li_metal', 'li_metal'), ('sodium_ion', 'sodium_ion'), ('other', 'other'), ('lfp', 'lfp'), ('lmfp', 'lmfp'), ('ncm', 'ncm'), ('nca', 'nca'), ('lco', 'lco'), ('lmo', 'lmo'), ('li_rich_mn', 'li_rich_mn'), ('ncm_hydroxide', 'ncm_hydroxide'), ('nca_hydroxide', 'nca_hydroxide'), ('iron_phosphate', 'iron_phosphate'), ('artificial_graphite', 'artificial_graphite'), ('natural_graphite', 'natural_graphite'), ('blended_graphite', 'blended_graphite'), ('silicon_carbon', 'silicon_carbon'), ('hard_carbon', 'hard_carbon'), ('synthetic_graphite', 'synthetic_graphite'), ('natural_flake_graphite', 'natural_flake_graphite'), ('spherical_graphite', 'spherical_graphite'), ('expanded_graphite', 'expanded_graphite'), ('winding_machine', 'winding_machine'), ('stacking_machine', 'stacking_machine'), ('electrolyte_filling_machine', 'electrolyte_filling_machine'), ('hot_press', 'hot_press'), ('formation_grading_system', 'formation_grading_system'), ('grading_cabinet', 'grading_cabinet'), ('roller_kiln', 'roller_kiln'), ('high_speed_mixer', 'high_speed_mixer'), ('sand_mill', 'sand_mill'), ('jet_mill', 'jet_mill'), ('granulation_kettle_vertical', 'granulation_kettle_vertical'), ('granulation_kettle_continuous', 'granulation_kettle_continuous'), ('graphitization_furnace_box', 'graphitization_furnace_box'), ('graphitization_furnace_acheson', 'graphitization_furnace_acheson'), ('coating_modification_equipment', 'coating_modification_equipment'), ('battery_production', 'battery_production'), ('lfp_preparation', 'lfp_preparation'), ('lmfp_preparation', 'lmfp_preparation'), ('phosphate_precursor_preparation', 'phosphate_precursor_preparation'), ('graphite_anode_process', 'graphite_anode_process'), ('lithium_extraction', 'lithium_extraction')], max_length=40, verbose_name='subtype')),
                ('cell_type', models.CharField(blank=True, choices=[('', 'any cell type'), ('primary', 'primary'), ('secondary', 'secondary')], max_length=12, verbose_name='cell type')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('entry', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.entry', verbose_name='entry')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical applies to',
                'verbose_name_plural': 'historical applies to',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStatusWindow',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('status', models.CharField(choices=[('in_force', 'in_force'), ('suspended', 'suspended'), ('repealed', 'repealed')], max_length=12, verbose_name='status')),
                ('start', models.DateField(verbose_name='from')),
                ('end', models.DateField(blank=True, null=True, verbose_name='to (inclusive)')),
                ('basis', models.CharField(blank=True, max_length=300, verbose_name='basis')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('basis_zh', models.CharField(blank=True, max_length=300, verbose_name='basis (Chinese)')),
                ('note_zh', models.TextField(blank=True, verbose_name='note (Chinese)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.measure', verbose_name='measure')),
            ],
            options={
                'verbose_name': 'historical status window',
                'verbose_name_plural': 'historical status windows',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEntry',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('code', models.CharField(max_length=40, verbose_name='code')),
                ('title_zh', models.CharField(max_length=300, verbose_name='title (Chinese)')),
                ('title_en', models.CharField(max_length=400, verbose_name='title (English)')),
                ('hs_codes', models.JSONField(blank=True, default=list, verbose_name='reference HS codes')),
                ('level', models.CharField(choices=[('V1', 'V1'), ('V2', 'V2'), ('UNVERIFIED', 'UNVERIFIED')], max_length=12, verbose_name='verification level')),
                ('level_note', models.TextField(blank=True, verbose_name='level note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('level_note_zh', models.TextField(blank=True, verbose_name='level note (Chinese)')),
                ('source_zh', models.TextField(blank=True, verbose_name='source (Chinese)')),
                ('criteria_confirmed', models.BooleanField(default=True, help_text='Untick when the item is known but what it covers could not be confirmed: screening then reports it as unknown for a reviewer to decide.', verbose_name='criteria confirmed')),
                ('code_confirmed', models.BooleanField(default=False, help_text='Tick only when this control code was read in the official text or in copies of it. A customs remark (属于两用物项，管制编码：…) never carries an unconfirmed code: the result says which code to confirm instead.', verbose_name='code confirmed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.measure', verbose_name='measure')),
            ],
            options={
                'verbose_name': 'historical entry',
                'verbose_name_plural': 'historical entries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='entry',
            name='measure',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='rules.measure', verbose_name='measure'),
        ),
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'profile',
                'verbose_name_plural': 'profiles',
            },
        ),
        migrations.CreateModel(
            name='ReferenceExpectation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('as_of', models.DateField(verbose_name='as of')),
                ('regimes', models.JSONField(blank=True, default=list, help_text='e.g. ["CN"]', verbose_name='regimes')),
                ('outcome', models.CharField(choices=[('invalid', 'Invalid input'), ('licence_required', 'Licence required'), ('indeterminate', 'Indeterminate: data missing'), ('not_in_force', 'Listed, but not in force on this date'), ('near_threshold', 'Not controlled, near a threshold'), ('not_controlled', 'Not controlled')], max_length=20, verbose_name='expected outcome')),
                ('reference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='expectations', to='rules.referenceproduct', verbose_name='reference product')),
            ],
            options={
                'verbose_name': 'expected outcome',
                'verbose_name_plural': 'expected outcomes',
                'ordering': ['reference', 'as_of'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalReferenceExpectation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('as_of', models.DateField(verbose_name='as of')),
                ('regimes', models.JSONField(blank=True, default=list, help_text='e.g. ["CN"]', verbose_name='regimes')),
                ('outcome', models.CharField(choices=[('invalid', 'Invalid input'), ('licence_required', 'Licence required'), ('indeterminate', 'Indeterminate: data missing'), ('not_in_force', 'Listed, but not in force on this date'), ('near_threshold', 'Not controlled, near a threshold'), ('not_controlled', 'Not controlled')], max_length=20, verbose_name='expected outcome')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reference', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.referenceproduct', verbose_name='reference product')),
            ],
            options={
                'verbose_name': 'historical expected outcome',
                'verbose_name_plural': 'historical expected outcomes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RuleSet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(max_length=40, unique=True, verbose_name='version')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='title')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', editable=False, max_length=12, verbose_name='status')),
                ('near_band_pct', models.FloatField(default=5.0, help_text="An entry that fails only by being within this percentage of its thresholds is 'near threshold'.", verbose_name='near band (%)')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('content_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='content hash')),
                ('snapshot', models.JSONField(blank=True, editable=False, null=True, verbose_name='snapshot')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published')),
                ('publish_rationale', models.TextField(blank=True, editable=False, verbose_name='rationale for publishing')),
                ('publish_source', models.TextField(blank=True, editable=False, verbose_name='source')),
                ('publication', models.JSONField(blank=True, default=dict, editable=False, verbose_name='publication')),
                ('based_on', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='rules.ruleset', verbose_name='based on')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('published_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
            ],
            options={
                'verbose_name': 'rule set',
                'verbose_name_plural': 'rule sets',
                'ordering': ['-created_at'],
            },
        ),
        migrations.AddField(
            model_name='referenceproduct',
            name='rule_set',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='references', to='rules.ruleset', verbose_name='rule set'),
        ),
        migrations.AddField(
            model_name='measure',
            name='rule_set',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='rules.ruleset', verbose_name='rule set'),
        ),
        migrations.CreateModel(
            name='HistoricalRuleSet',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.CharField(db_index=True, max_length=40, verbose_name='version')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='title')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', editable=False, max_length=12, verbose_name='status')),
                ('near_band_pct', models.FloatField(default=5.0, help_text="An entry that fails only by being within this percentage of its thresholds is 'near threshold'.", verbose_name='near band (%)')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('content_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='content hash')),
                ('snapshot', models.JSONField(blank=True, editable=False, null=True, verbose_name='snapshot')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published')),
                ('publish_rationale', models.TextField(blank=True, editable=False, verbose_name='rationale for publishing')),
                ('publish_source', models.TextField(blank=True, editable=False, verbose_name='source')),
                ('publication', models.JSONField(blank=True, default=dict, editable=False, verbose_name='publication')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('published_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
                ('based_on', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.ruleset', verbose_name='based on')),
            ],
            options={
                'verbose_name': 'historical rule set',
                'verbose_name_plural': 'historical rule sets',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalReferenceProduct',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('cells', models.JSONField(help_text='Template columns and cell texts, e.g. {"category": "battery_cell", "subtype": "li_ion", "energy_density_wh_per_kg": "310"}.', verbose_name='spec cells')),
                ('note', models.TextField(blank=True, verbose_name='why it matters')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('rule_set', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.ruleset', verbose_name='rule set')),
            ],
            options={
                'verbose_name': 'historical reference product',
                'verbose_name_plural': 'historical reference products',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMeasure',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('key', models.CharField(max_length=40, verbose_name='key')),
                ('regime', models.CharField(default='CN', max_length=10, verbose_name='regime')),
                ('kind', models.CharField(choices=[('control_list', 'control_list'), ('technology_catalogue', 'technology_catalogue'), ('suspension', 'suspension'), ('overlay', 'overlay')], default='control_list', max_length=24, verbose_name='kind')),
                ('instrument_zh', models.CharField(max_length=200, verbose_name='instrument (Chinese)')),
                ('instrument_en', models.CharField(max_length=200, verbose_name='instrument (English)')),
                ('title_zh', models.CharField(blank=True, max_length=300, verbose_name='title (Chinese)')),
                ('title_en', models.CharField(blank=True, max_length=400, verbose_name='title (English)')),
                ('published', models.DateField(verbose_name='published')),
                ('effective', models.DateField(verbose_name='effective')),
                ('level', models.CharField(choices=[('V1', 'V1'), ('V2', 'V2'), ('UNVERIFIED', 'UNVERIFIED')], max_length=12, verbose_name='verification level')),
                ('level_note', models.TextField(blank=True, verbose_name='level note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('source_url', models.URLField(blank=True, max_length=500, verbose_name='source URL')),
                ('level_note_zh', models.TextField(blank=True, verbose_name='level note (Chinese)')),
                ('source_zh', models.TextField(blank=True, verbose_name='source (Chinese)')),
                ('licence_kind', models.CharField(choices=[('dual_use', 'dual_use'), ('technology', 'technology'), ('none', 'none')], max_length=12, verbose_name='licence kind')),
                ('overlay_destinations', models.JSONField(blank=True, default=list, help_text='ISO country codes', verbose_name='overlay destinations')),
                ('overlay_on_measures', models.JSONField(blank=True, default=list, verbose_name='overlay applies to measures')),
                ('overlay_advice_en', models.TextField(blank=True, verbose_name='overlay advice (English)')),
                ('overlay_advice_zh', models.TextField(blank=True, verbose_name='overlay advice (Chinese)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('rule_set', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='rules.ruleset', verbose_name='rule set')),
            ],
            options={
                'verbose_name': 'historical measure',
                'verbose_name_plural': 'historical measures',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='StatusConfirmation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure_key', models.CharField(db_index=True, max_length=40, verbose_name='measure')),
                ('status', models.CharField(choices=[('in_force', 'in_force'), ('suspended', 'suspended'), ('not_yet_effective', 'not_yet_effective'), ('repealed', 'repealed'), ('expired', 'expired')], max_length=20, verbose_name='status confirmed')),
                ('source', models.TextField(verbose_name='source')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('confirmed_at', models.DateTimeField(auto_now_add=True, verbose_name='confirmed')),
                ('confirmed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
            ],
            options={
                'verbose_name': 'status confirmation',
                'verbose_name_plural': 'status confirmations',
                'ordering': ['-confirmed_at'],
            },
        ),
        migrations.CreateModel(
            name='StatusWindow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('in_force', 'in_force'), ('suspended', 'suspended'), ('repealed', 'repealed')], max_length=12, verbose_name='status')),
                ('start', models.DateField(verbose_name='from')),
                ('end', models.DateField(blank=True, null=True, verbose_name='to (inclusive)')),
                ('basis', models.CharField(blank=True, max_length=300, verbose_name='basis')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('basis_zh', models.CharField(blank=True, max_length=300, verbose_name='basis (Chinese)')),
                ('note_zh', models.TextField(blank=True, verbose_name='note (Chinese)')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='windows', to='rules.measure', verbose_name='measure')),
            ],
            options={
                'verbose_name': 'status window',
                'verbose_name_plural': 'status windows',
                'ordering': ['measure', 'start'],
            },
        ),
        migrations.CreateModel(
            name='ApiIdempotentRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200, verbose_name='idempotency key')),
                ('method', models.CharField(max_length=10, verbose_name='HTTP method')),
                ('path', models.CharField(max_length=300, verbose_name='path')),
                ('request_sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the request')),
                ('status', models.PositiveSmallIntegerField(null=True, verbose_name='response status')),
                ('content_type', models.CharField(blank=True, max_length=100, verbose_name='content type')),
                ('body', models.TextField(blank=True, verbose_name='response body')),
                ('created_at', models.DateTimeField(db_index=True, verbose_name='created')),
                ('token', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='rules.apitoken', verbose_name='API token')),
            ],
            options={
                'verbose_name': 'idempotent API request',
                'verbose_name_plural': 'idempotent API requests',
                'constraints': [models.UniqueConstraint(fields=('token', 'key'), name='unique_idempotency_key')],
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(unique=True, verbose_name='sequence')),
                ('at', models.DateTimeField(verbose_name='time')),
                ('actor_name', models.CharField(max_length=150, verbose_name='actor')),
                ('action', models.CharField(db_index=True, max_length=60, verbose_name='action')),
                ('object_type', models.CharField(max_length=60, verbose_name='object type')),
                ('object_id', models.CharField(max_length=64, verbose_name='object id')),
                ('object_repr', models.CharField(max_length=300, verbose_name='object')),
                ('before', models.JSONField(null=True, verbose_name='before')),
                ('after', models.JSONField(null=True, verbose_name='after')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('prev_hash', models.CharField(max_length=64, verbose_name='previous hash')),
                ('hash', models.CharField(max_length=64, unique=True, verbose_name='hash')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['seq'],
                'indexes': [models.Index(fields=['object_type', 'object_id', 'seq'], name='rules_audit_object__9ea3e2_idx')],
            },
        ),
        migrations.AddConstraint(
            model_name='entry',
            constraint=models.UniqueConstraint(fields=('measure', 'code'), name='unique_entry_per_measure'),
        ),
        migrations.AddConstraint(
            model_name='ruleset',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), models.Q(models.Q(('content_hash', ''), _negated=True), ('snapshot__isnull', False)), _connector='OR'), name='published_rule_set_has_snapshot'),
        ),
        migrations.AddConstraint(
            model_name='referenceproduct',
            constraint=models.UniqueConstraint(fields=('rule_set', 'name'), name='unique_reference_per_rule_set'),
        ),
        migrations.AddConstraint(
            model_name='measure',
            constraint=models.UniqueConstraint(fields=('rule_set', 'key'), name='unique_measure_per_rule_set'),
        ),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(audit_append_only, audit_changeable),
    ]
