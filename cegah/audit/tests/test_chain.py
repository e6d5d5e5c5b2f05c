import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from cegah.audit import services as audit
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
    forged.hash = audit.hash_of(forged)
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
