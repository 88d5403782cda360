#ifndef EARSHOT_CMOSQUITTO_SHIM_H
#define EARSHOT_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
