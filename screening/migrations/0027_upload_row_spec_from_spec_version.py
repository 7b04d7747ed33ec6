"""A preview row's spec version is the one its import created from it, found by upload and row
(SpecVersion.upload, upload_row): the second link, UploadRow.spec, which every import set with
an UPDATE of all its rows, goes. Reversed, the column is filled again from the same pairs."""

from django.db import migrations

REFILL = (
    "UPDATE screening_uploadrow SET spec_id = (SELECT s.id FROM screening_specversion s "
    "WHERE s.upload_id = screening_uploadrow.upload_id AND s.upload_row = screening_uploadrow.row)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0026_plain_indexes_no_like"),
    ]

    operations = [
        # Reversed in the opposite order: the column comes back, then it is filled.
        migrations.RunSQL(migrations.RunSQL.noop, reverse_sql=REFILL),
        migrations.RemoveField(
            model_name="uploadrow",
            name="spec",
        ),
    ]
