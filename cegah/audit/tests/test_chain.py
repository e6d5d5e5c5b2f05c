import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from cegah.audit import services as audit
from cegah.audit.keys import audit_key, write_audit_key
from cegah.audit.models import AuditEntry, AuditHead
from cegah.audit.selectors import chain_problem

pytestmark = pytest.mark.django_db


def _write(n: int, actor=None) -> list[AuditEntry]:
    return [audit.record(actor=actor, action="test.event", data={"n": i}) for i in range(n)]


def test_entries_are_chained_and_verify(world) -> None:
    entries = _write(5, actor=world.admin_binjai)
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert entries[0].actor_label == "admin@binjai.test"
    assert chain_problem() is None
    call_command("verify_audit", verbosity=0)


def test_a_row_edited_in_the_database_is_detected() -> None:
    entries = _write(4)
    AuditEntry.objects.filter(pk=entries[2].pk).update(data={"n": 999})
    problem = chain_problem()
    assert problem is not None and problem.seq == entries[2].seq
    with pytest.raises(CommandError, match=f"#{entries[2].seq}"):
        call_command("verify_audit")


def test_an_edit_with_a_recomputed_hash_is_detected_at_the_next_entry() -> None:
    entries = _write(4)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.action = "test.forged"
    forged.hash = audit.hash_of(forged, audit_key())  # even someone holding the key
    AuditEntry.objects.filter(pk=forged.pk).update(action=forged.action, hash=forged.hash)
    problem = chain_problem()
    assert problem is not None and problem.seq == entries[2].seq


def test_a_deleted_entry_is_reported_missing() -> None:
    entries = _write(4)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    problem = chain_problem()
    assert problem is not None and problem.seq == entries[1].seq
    assert "hilang" in problem.message


def test_deleting_the_newest_entries_is_detected() -> None:
    entries = _write(3)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    problem = chain_problem()
    assert problem is not None and problem.seq == entries[-1].seq


def test_reordered_entries_are_detected() -> None:
    entries = _write(4)
    a, b = entries[1], entries[2]
    AuditEntry.objects.filter(pk=a.pk).update(seq=10_000)
    AuditEntry.objects.filter(pk=b.pk).update(seq=a.seq)
    AuditEntry.objects.filter(pk=a.pk).update(seq=b.seq)
    problem = chain_problem()
    assert problem is not None and problem.seq == a.seq


def test_a_rolled_back_change_leaves_no_entry():
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=None, action="test.rolled_back")
        raise RuntimeError
    assert AuditEntry.objects.count() == before
    assert chain_problem() is None


def test_admin_shows_entries_read_only(client, world, login) -> None:
    entry = _write(1)[0]
    login(world.superadmin)
    change_url = f"/admin/audit/auditentry/{entry.pk}/change/"
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to one server: run with DATABASE_URL=postgres://…")
    per_thread = 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def writer(tag: str) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit.record(actor=None, action=f"test.{tag}", data={"i": i})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))
    assert AuditEntry.objects.filter(action__startswith="test.").count() == 2 * per_thread
    assert AuditHead.objects.get().seq == seqs[-1]
    assert chain_problem() is None


def _forge_without_the_key(entries: list[AuditEntry], start: int) -> None:
    """What someone with database access but not the key file can do: erase an entry and
    recompute every later hash, as a plain SHA-256 chain would allow."""
    import hashlib
    import json

    AuditEntry.objects.filter(seq=start).delete()
    prev = AuditEntry.objects.get(seq=start - 1).hash
    for entry in AuditEntry.objects.filter(seq__gt=start).order_by("seq"):
        entry.seq -= 1
        entry.prev_hash = prev
        payload = json.dumps(
            [
                entry.seq,
                entry.created_at.isoformat(),
                entry.actor_id,
                entry.actor_label,
                entry.role,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_label,
                entry.data,
                entry.request_id,
                entry.prev_hash,
            ],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        entry.hash = hashlib.sha256(payload.encode()).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(
            seq=entry.seq, prev_hash=entry.prev_hash, hash=entry.hash
        )
        prev = entry.hash
    AuditHead.objects.filter(pk=1).update(seq=entries[-1].seq - 1, hash=prev)


def test_erasing_an_entry_and_recomputing_the_hashes_without_the_key_is_detected() -> None:
    entries = _write(5)
    _forge_without_the_key(entries, entries[2].seq)
    problem = chain_problem()
    assert problem is not None and problem.seq == entries[2].seq
    assert "diubah" in problem.message


def test_a_deleted_head_row_is_a_failure() -> None:
    _write(3)
    AuditHead.objects.all().delete()
    problem = chain_problem()
    assert problem is not None and "Ujung rantai audit hilang" in problem.message


def test_cutting_the_newest_entries_and_moving_the_head_back_fails_against_an_export(
    tmp_path,
) -> None:
    entries = _write(4)
    kept = tmp_path / "head.json"
    call_command("verify_audit", "--export-head", str(kept), verbosity=0)
    call_command("verify_audit", "--against", str(kept), verbosity=0)  # extends it: fine
    _write(2)
    call_command("verify_audit", "--against", str(kept), verbosity=0)  # grew: still fine
    # Cut the last three entries and point the head at what is now the last one.
    last = AuditEntry.objects.order_by("-seq")[3]
    AuditEntry.objects.filter(seq__gt=last.seq).delete()
    AuditHead.objects.filter(pk=1).update(seq=last.seq, hash=last.hash)
    assert chain_problem() is None  # the chain alone cannot tell
    with pytest.raises(CommandError, match=f"#{entries[-1].seq}"):
        call_command("verify_audit", "--against", str(kept))


def test_a_head_that_no_longer_points_at_the_last_entry_is_detected() -> None:
    entries = _write(4)
    AuditHead.objects.filter(pk=1).update(seq=entries[1].seq, hash=entries[1].hash)
    problem = chain_problem()
    assert problem is not None


def test_without_the_key_file_nothing_is_written_and_the_check_fails(settings, tmp_path) -> None:
    from django.core.exceptions import ImproperlyConfigured

    _write(2)
    settings.AUDIT_KEY_FILE = tmp_path / "nowhere.key"
    with pytest.raises(ImproperlyConfigured, match="audit_key init"):
        _write(1)
    problem = chain_problem()
    assert problem is not None and "Kunci audit" in problem.message


def test_a_chain_keyed_later_checks_its_older_entries_as_plain_hashes(settings, tmp_path) -> None:
    # An installation whose chain began before keying (the test database's setup wrote one).
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    settings.AUDIT_KEY_FILE = tmp_path / "late.key"
    write_audit_key(since_seq=1_000_000)
    older = _write(2)
    settings.AUDIT_KEY_FILE = tmp_path / "now.key"
    call_command("audit_key", "init", verbosity=0)
    key = audit_key()
    assert key is not None and key.since_seq == older[-1].seq + 1
    _write(2)
    assert chain_problem() is None


def test_a_head_file_that_is_not_one_is_a_clear_error(tmp_path) -> None:
    _write(1)
    for bad in ("", "{}", "not json"):
        (tmp_path / "head.json").write_text(bad)
        with pytest.raises(CommandError, match="not a head written by --export-head"):
            call_command("verify_audit", "--against", str(tmp_path / "head.json"))
    with pytest.raises(CommandError, match="not a head"):
        call_command("verify_audit", "--against", str(tmp_path / "missing.json"))
