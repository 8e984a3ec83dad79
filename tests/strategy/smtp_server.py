"""A real SMTP server for the tests, in a thread of the test process: it takes every
message, keeps it (as a server that accepted it would deliver it), and only then, after
`delay` seconds, answers the end of DATA, like a slow server that has the message already."""

import socketserver
import threading
import time
from email import message_from_bytes
from email.message import Message


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server: SlowSMTPServer = self.server  # type: ignore[assignment]
        try:
            self.reply("220 test.example ESMTP")
            while line := self.rfile.readline():
                command = line.decode("ascii", "replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.reply("250 test.example")
                elif command.startswith("RCPT"):
                    self.reply(server.rcpt_reply)
                elif command.startswith(("MAIL", "RSET", "NOOP")):
                    self.reply("250 OK")
                elif command == "DATA":
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while (data := self.rfile.readline()) not in (b".\r\n", b""):
                        # Undo the client's dot-stuffing (RFC 5321, 4.5.2).
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    server.received.append(message_from_bytes(b"".join(lines)))
                    if server.hang_up_after_data:
                        return
                    time.sleep(server.delay)
                    self.reply("250 OK: queued")
                elif command == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Command not implemented")
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting; the message it sent is kept all the same.
            return


class SlowSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, delay: float = 0.0, rcpt_reply: str = "250 OK", hang_up_after_data=False):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay
        self.rcpt_reply = rcpt_reply
        # Close the connection once the message is in, without a word.
        self.hang_up_after_data = hang_up_after_data
        self.received: list[Message] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
