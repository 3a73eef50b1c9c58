"""Nothing acknowledged is lost: kill -9 in the middle of a stream of writes that enqueue jobs."""
import os
import re
import sqlite3
import threading
import time
import unittest

from zocalo_server import Server


class KillNineTest(unittest.TestCase):
    def test_every_acknowledged_feedback_and_its_job_survive_kill_9(self):
        server = Server("--no-jobs", "--rate-limit", "100000", "--rate-burst", "100000",
                        demo=False, name="kill9").start()
        acknowledged = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            c = server.client()
            token = c.csrf_from(c.get("/opinion").text)
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = c.post("/opinion", {"message": f"writer {n} message {i}", "_csrf": token})
                except OSError:
                    return  # the server died mid-request: that write was never acknowledged
                if r.status == 303:
                    m = re.search(r"/opinion/gracias/(\d+)", r.header("Location") or "")
                    with lock:
                        acknowledged.append(int(m.group(1)))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(2.0)
        server.kill9()
        stop.set()
        for t in threads:
            t.join()
        self.assertGreater(len(acknowledged), 20, "the stream was running when the process died")

        # Read the database exactly as the crash left it (SQLite recovers the WAL on open).
        db = sqlite3.connect(os.path.join(server.data_dir, "zocalo.db"))
        stored = {row[0] for row in db.execute("SELECT id FROM feedback")}
        missing = [i for i in acknowledged if i not in stored]
        self.assertEqual(missing, [], "acknowledged feedback lost")
        payloads = [row[0] for row in db.execute("SELECT payload FROM jobs")]
        # Each feedback queues an inbox message titled "Opinión #<id>" in the same transaction.
        with_job = {int(m) for p in payloads for m in re.findall(r'#(\d+)', p)}
        self.assertEqual([i for i in acknowledged if i not in with_job], [],
                         "acknowledged feedback whose notification job was lost")
        db.close()

        # The same data folder starts again and serves.
        again = Server(data_dir=server.data_dir, demo=False, name="kill9-restart").start()
        try:
            self.assertEqual(again.client().get("/readyz").status, 200)
        finally:
            again.stop()
            server.owns_dir = True
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
