/* test_email.c — the e-mail reader core (readers/email.c, html_text.c, reply_strip.c). */
#include "readers/readers.h"
#include "test.h"

int main(void)
{
    return test_exit_status("test_email");
}
