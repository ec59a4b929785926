# The clear-text ID and phone columns go, once 0004 has encrypted them. Reversible: going back re-adds
# them and 0004's reverse decrypts into them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rosters', '0004_encrypt_existing_personal_data'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='participant',
            name='id_number',
        ),
        migrations.RemoveField(
            model_name='participant',
            name='phone',
        ),
    ]
