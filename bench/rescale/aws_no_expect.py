"""`aws`, but without botocore's `Expect: 100-continue` on S3 PUTs (bench/rescale/run.sh, section 3).

botocore sends each PutObject / UploadPart's headers with `Expect: 100-continue` and waits up to 1 s for the server's
`100 Continue` before it sends the body. rescale-sim never answers one, so against the emulator every part waits that
second. Without the header, `aws s3 cp` runs as it would against a server that answers (S3, moto).
"""

import sys

import botocore.handlers as handlers

handlers.BUILTIN_HANDLERS = [entry for entry in handlers.BUILTIN_HANDLERS if entry[1] is not handlers.add_expect_header]

import awscli.clidriver  # noqa: E402 (after the handler list is changed: sessions copy it when created)

sys.exit(awscli.clidriver.main())
