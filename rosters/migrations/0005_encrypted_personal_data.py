# ID and phone numbers encrypted at rest (PIPL art. 51): new columns and the encrypted file storage.
# 0004 encrypts what is there; 0005 drops the clear-text columns.

import haidian_contest.private_files
import rosters.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rosters', '0004_full_id_view_keeps_targets'),
    ]

    operations = [
        migrations.AddField(
            model_name='firstprizerecord',
            name='id_number_encrypted',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='participant',
            name='personal_encrypted',
            field=models.TextField(default='', verbose_name='身份证号与手机号（加密）'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='rosterversion',
            name='error_file',
            field=models.FileField(blank=True, max_length=300, storage=haidian_contest.private_files.encrypted_storage, upload_to=rosters.models.error_path, verbose_name='错误标注文件'),
        ),
        migrations.AlterField(
            model_name='rosterversion',
            name='file',
            field=models.FileField(max_length=300, storage=haidian_contest.private_files.encrypted_storage, upload_to=rosters.models.upload_path, verbose_name='上传文件'),
        ),
    ]
