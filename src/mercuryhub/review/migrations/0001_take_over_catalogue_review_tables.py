"""The review layer takes over the catalogue's versions, decisions, digests and campaigns: their
tables exist already, so this only records them in the review app's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
import mercuryhub.lib.migrations


class Migration(mercuryhub.lib.migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0004_update_campaigns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='EntryVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('object_id', models.BigIntegerField()),
                ('number', models.PositiveIntegerField()),
                ('data', models.JSONField()),
                ('note', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'catalogue_entryversion',
                'ordering': ['kind', 'object_id', 'number'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id', 'number'), name='unique_entry_version')],
            },
        ),
        migrations.CreateModel(
            name='ReviewDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('object_id', models.BigIntegerField()),
                ('version', models.PositiveIntegerField()),
                ('action', models.CharField(choices=[('submitted', 'Submitted'), ('validated', 'Validated'), ('returned', 'Returned'), ('reverted', 'Reverted'), ('reconfirmed', 'Reconfirmed')], max_length=20)),
                ('reason', models.TextField(blank=True)),
                ('made_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('made_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'catalogue_reviewdecision',
                'ordering': ['-made_at'],
                'indexes': [models.Index(fields=['kind', 'object_id'], name='decision_entry')],
            },
        ),
        migrations.CreateModel(
            name='ReviewDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'db_table': 'catalogue_reviewdigest',
                'ordering': ['-sent_at'],
                'get_latest_by': 'sent_at',
            },
        ),
        migrations.CreateModel(
            name='UpdateCampaign',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='year')),
                ('deadline', models.DateField(verbose_name='deadline')),
                ('message', models.TextField(blank=True, verbose_name='message to the editors')),
                ('opened_at', models.DateTimeField(verbose_name='opened')),
                ('recipients', models.PositiveIntegerField(default=0)),
                ('emails_sent', models.PositiveIntegerField(default=0)),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                ('entries_when_closed', models.PositiveIntegerField(blank=True, null=True)),
                ('confirmed_when_closed', models.PositiveIntegerField(blank=True, null=True)),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('opened_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'catalogue_updatecampaign',
                'ordering': ['-year'],
            },
        ),
            ],
            database_operations=[],
        ),
    ]
