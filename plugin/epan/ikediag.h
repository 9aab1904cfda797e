/* ikediag.h — what the glue's files share. */
#ifndef IKEDIAG_H
#define IKEDIAG_H

#include <glib.h>

void proto_register_ikediag(void);
void proto_reg_handoff_ikediag(void);

/* Messages the IKE SA limit kept out of the analysis (for the report). */
guint64 ikediag_untracked(guint *max_sas, guint32 *first_frame);

#endif
