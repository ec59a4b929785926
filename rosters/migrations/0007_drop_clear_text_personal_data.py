# The clear-text ID and phone columns go, once 0004 has encrypted them. Reversible: going back re-adds
# them and 0004's reverse decrypts into them.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rosters', '0006_encrypt_existing_personal_data'),
    ]

    operations = [
        # A default first, so that reversing the removal can re-add the columns to a table with rows.
        migrations.AlterField(
            model_name='participant',
            name='id_number',
            field=models.CharField(default='', max_length=18, verbose_name='身份证号（完整）'),
        ),
        migrations.AlterField(
            model_name='participant',
            name='phone',
            field=models.CharField(blank=True, default='', max_length=30, verbose_name='手机号（完整）'),
        ),
        migrations.RemoveField(
            model_name='participant',
            name='id_number',
        ),
        migrations.RemoveField(
            model_name='participant',
            name='phone',
        ),
    ]
