/* ikediag.h — what the glue's files share. */
#ifndef IKEDIAG_H
#define IKEDIAG_H

void proto_register_ikediag(void);
void proto_reg_handoff_ikediag(void);

#endif
